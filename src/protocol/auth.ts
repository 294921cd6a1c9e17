import type { KeyringPair } from '@polkadot/keyring/types';
import { signBlob, verifyBlob } from './signing';
import { ValidatorAuthForMiner } from './messages/validator-to-miner';
import { buildMessage } from './messages/build';

/** Miner authentication (miner-protocol.md §4). */

/** The miner rejects auth messages older than this many seconds (future timestamps pass). */
export const AUTH_MESSAGE_MAX_AGE_SECONDS = 10;

export function authBlob(validatorHotkey: string, minerHotkey: string, timestamp: number): string {
  return `${validatorHotkey}:${minerHotkey}:${timestamp}`;
}

/** A signed ValidatorAuthForMiner for `nowMs` (timestamp = floor(seconds)). */
export function createAuthMessage(pair: KeyringPair, minerHotkey: string, nowMs: number): ValidatorAuthForMiner {
  const timestamp = Math.floor(nowMs / 1000);
  return authMessage(pair.address, minerHotkey, timestamp, signBlob(pair, authBlob(pair.address, minerHotkey, timestamp)));
}

/** ValidatorAuthForMiner from a signature of `authBlob(validatorHotkey, minerHotkey, timestamp)` made elsewhere. */
export function authMessage(validatorHotkey: string, minerHotkey: string, timestamp: number, signature: string): ValidatorAuthForMiner {
  return buildMessage(ValidatorAuthForMiner, { validator_hotkey: validatorHotkey, miner_hotkey: minerHotkey, timestamp, signature });
}

export interface MinerAuthCheck {
  /** The miner's own hotkey. */
  minerHotkey: string;
  /** The hotkey in the URL path. */
  urlValidatorHotkey: string;
  nowMs: number;
  /** "local" miners (the trusted miner) skip the miner-hotkey check. */
  isLocalMiner?: boolean;
}

/**
 * The miner's checks in the miner's order (§4.2). Returns null when accepted, else the reason text the
 * miner puts into "Validator {key} not authenticated due to: {reason}".
 */
export function checkAuthAsMiner(msg: ValidatorAuthForMiner, check: MinerAuthCheck): string | null {
  if (msg.timestamp < Math.floor(check.nowMs / 1000) - AUTH_MESSAGE_MAX_AGE_SECONDS) return 'msg too old';
  if (!check.isLocalMiner && msg.miner_hotkey !== check.minerHotkey) {
    return `wrong miner hotkey (${check.minerHotkey}!=${msg.miner_hotkey})`;
  }
  if (msg.validator_hotkey !== check.urlValidatorHotkey) {
    return `wrong validator hotkey (${check.urlValidatorHotkey}!=${msg.validator_hotkey})`;
  }
  if (!verifyBlob(authBlob(msg.validator_hotkey, msg.miner_hotkey, msg.timestamp), msg.signature, check.urlValidatorHotkey)) {
    return 'Signature mismatches';
  }
  return null;
}

export function authRefusalDetails(validatorHotkey: string, reason: string): string {
  return `Validator ${validatorHotkey} not authenticated due to: ${reason}`;
}
