import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { decorateExtrinsics } from '@polkadot/types/metadata/decorate';
import type { Call } from '@polkadot/types/interfaces';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { projectRoot } from '../../../devnet/chain/project-paths';
import pulses from './fixtures/quicknet-pulses.json';
import { buildTimelockedCommit, TimelockCallFactory } from './commit-call';
import { QUICKNET } from './drand';
import { timelockDecrypt } from './tle';
import { decodeTlockPayload } from './tlock-payload';

/**
 * The CRv4 extrinsic the validator builds, checked offline against the runtime metadata of subtensor
 * spec 381 (../shared/chain/metadata-spec381.scale): no runtime with commit_timelocked_weights runs
 * under chopsticks, so its encoding is proven here and its payload with a real quicknet pulse.
 */
describe('commit_timelocked_weights against the spec-381 metadata', () => {
  const registry = new TypeRegistry();
  // upstream data, kept only in ../shared (../shared/chain/README.md)
  const metadata = new Metadata(registry, readFileSync(resolve(projectRoot(), '..', 'shared', 'chain', 'metadata-spec381.scale')));
  registry.setMetadata(metadata);
  const tx = decorateExtrinsics(registry, metadata.asLatest, metadata.version).subtensorModule as unknown as TimelockCallFactory;
  const round1000 = pulses.pulses.find((p) => p.round === 1000)!;

  it('decodes to call 7/113 with netuid, commit, reveal round and version, and decrypts to the hotkey, uids and values', async () => {
    await cryptoWaitReady();
    const hotkey = new Keyring({ type: 'sr25519' }).addFromUri('//Alice//validator');
    const uids = [0, 3, 7, 12];
    const values = [65535, 21845, 1, 43690];
    const { call } = await buildTimelockedCommit<Call>(tx, {
      scheme: 'crv4',
      commitRevealVersion: 4,
      netuid: 12,
      hotkey: hotkey.publicKey,
      uids,
      values,
      versionKey: 2n,
      revealRound: 1000,
      beaconPublicKey: QUICKNET.publicKey,
    });
    const decoded = registry.createType('Call', call.toHex());
    expect(u8aToHex(decoded.callIndex)).toBe('0x0771');
    expect(`${decoded.section}.${decoded.method}`).toBe('subtensorModule.commitTimelockedWeights');
    expect(decoded.meta.args.map((a) => `${a.name.toString()}:${a.type.toString()}`)).toEqual(['netuid:u16', 'commit:Bytes', 'revealRound:u64', 'commitRevealVersion:u16']);
    const [netuid, commit, revealRound, version] = decoded.args;
    expect([netuid.toString(), revealRound.toString(), version.toString()]).toEqual(['12', '1000', '4']);
    const plaintext = await timelockDecrypt(commit.toU8a(true), hexToU8a(`0x${round1000.signature}`));
    expect(decodeTlockPayload(4, plaintext)).toEqual({ hotkey: hotkey.publicKey, uids, values, versionKey: 2n });
  });

  it('has no commit_crv3_weights any more: a crv3 commit is refused before anything is sent', async () => {
    await expect(
      buildTimelockedCommit(tx, { scheme: 'crv3', netuid: 12, hotkey: new Uint8Array(32), uids: [1], values: [1], versionKey: 2n, revealRound: 1000, beaconPublicKey: QUICKNET.publicKey }),
    ).rejects.toThrow(/no commit_crv3_weights/);
  });

  it('refuses a commit over the chain limit with a clear error', async () => {
    const uids = Array.from({ length: 2000 }, (_, i) => i);
    await expect(
      buildTimelockedCommit(tx, { scheme: 'crv4', commitRevealVersion: 4, netuid: 12, hotkey: new Uint8Array(32), uids, values: uids, versionKey: 2n, revealRound: 1000, beaconPublicKey: QUICKNET.publicKey }),
    ).rejects.toThrow(/is 8289 bytes, over the chain's limit of 5000/);
  });
});
