import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { SubmittableExtrinsicFunction } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { MAX_TIMELOCKED_COMMIT_BYTES } from './tle-ciphertext';
import { timelockEncrypt } from './tle';
import { encodeTlockPayload } from './tlock-payload';

/** The two timelocked commit calls as the metadata decorates them (`api.tx.subtensorModule`). */
export interface TimelockCallFactory {
  commitTimelockedWeights?: SubmittableExtrinsicFunction<'promise'> | ((...args: unknown[]) => unknown);
  commitCrv3Weights?: SubmittableExtrinsicFunction<'promise'> | ((...args: unknown[]) => unknown);
}

export interface TimelockedCommitInput {
  scheme: 'crv3' | 'crv4';
  /** `CommitRevealWeightsVersion` (crv4 only). */
  commitRevealVersion?: number;
  netuid: number;
  /** The validator hotkey's 32-byte public key (in the v4 payload). */
  hotkey: Uint8Array;
  uids: readonly number[];
  values: readonly number[];
  versionKey: bigint;
  revealRound: number;
  beaconPublicKey: Uint8Array;
}

export class CommitTooLargeError extends Error {}

/**
 * Encrypts the payload to the reveal round and builds the call: `commit_timelocked_weights(netuid,
 * commit, reveal_round, commit_reveal_version)` (v4 payload) or `commit_crv3_weights(netuid, commit,
 * reveal_round)` (v3 payload). `commit` is passed as hex: a Uint8Array would be read as SCALE bytes.
 */
export async function buildTimelockedCommit<T = SubmittableExtrinsic<'promise'>>(
  tx: TimelockCallFactory,
  i: TimelockedCommitInput,
): Promise<{ call: T; ciphertext: Uint8Array }> {
  const payload = encodeTlockPayload(i.scheme === 'crv4' ? 4 : 3, { hotkey: i.hotkey, uids: i.uids, values: i.values, versionKey: i.versionKey });
  const ciphertext = await timelockEncrypt(i.revealRound, payload, i.beaconPublicKey);
  if (ciphertext.length > MAX_TIMELOCKED_COMMIT_BYTES) {
    throw new CommitTooLargeError(
      `the timelocked commit of ${i.uids.length} uids is ${ciphertext.length} bytes, over the chain's limit of ${MAX_TIMELOCKED_COMMIT_BYTES} (MAX_CRV3_COMMIT_SIZE_BYTES)`,
    );
  }
  const commit = u8aToHex(ciphertext);
  if (i.scheme === 'crv4') {
    if (!tx.commitTimelockedWeights) throw new Error('the runtime has no commit_timelocked_weights');
    if (i.commitRevealVersion === undefined) throw new Error('commit_timelocked_weights needs the commit-reveal version');
    return { call: (tx.commitTimelockedWeights as (...a: unknown[]) => T)(i.netuid, commit, i.revealRound, i.commitRevealVersion), ciphertext };
  }
  if (!tx.commitCrv3Weights) throw new Error('the runtime has no commit_crv3_weights');
  return { call: (tx.commitCrv3Weights as (...a: unknown[]) => T)(i.netuid, commit, i.revealRound), ciphertext };
}
