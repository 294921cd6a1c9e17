import { randomBytes } from 'node:crypto';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';
import { u16le, u64le, vecU16 } from './scale';

export interface WeightsPayload {
  uids: readonly number[];
  /** u16 values. */
  values: readonly number[];
}

/** Eight random bytes, each as a u16 0..255 (the reference's salt). */
export function randomSalt(): number[] {
  return [...randomBytes(8)];
}

/**
 * The hash commit of commit_weights: BLAKE2b-256 of
 * SCALE((AccountId32 hotkey, u16 netuid, Vec<u16> uids, Vec<u16> values, Vec<u16> salt, u64 versionKey)).
 * `hotkey` is an ss58 address or the 32 public-key bytes.
 */
export function weightsCommitHash(hotkey: string | Uint8Array, netuid: number, w: WeightsPayload, salt: readonly number[], versionKey: bigint): string {
  return u8aToHex(blake2AsU8a(weightsCommitPreimage(hotkey, netuid, w, salt, versionKey), 256));
}

export function weightsCommitPreimage(hotkey: string | Uint8Array, netuid: number, w: WeightsPayload, salt: readonly number[], versionKey: bigint): Uint8Array {
  const account = typeof hotkey === 'string' ? decodeAddress(hotkey) : hotkey;
  if (account.length !== 32) throw new Error('hotkey must be 32 bytes');
  if (w.uids.length !== w.values.length) throw new Error('uids and values differ in length');
  return Uint8Array.from([...account, ...u16le(netuid), ...vecU16(w.uids), ...vecU16(w.values), ...vecU16(salt), ...u64le(versionKey)]);
}
