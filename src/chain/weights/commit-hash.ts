import { randomBytes } from 'node:crypto';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';

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
  const parts: number[] = [...account, ...u16le(netuid)];
  for (const vec of [w.uids, w.values, salt]) {
    parts.push(...compactLength(vec.length));
    for (const v of vec) parts.push(...u16le(v));
  }
  if (versionKey < 0n || versionKey >= 1n << 64n) throw new Error('version key must be a u64');
  for (let i = 0n; i < 8n; i++) parts.push(Number((versionKey >> (8n * i)) & 0xffn));
  return Uint8Array.from(parts);
}

function u16le(v: number): number[] {
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`not a u16: ${v}`);
  return [v & 0xff, v >> 8];
}

/** SCALE compact encoding of a length (single-, two- and four-byte modes). */
function compactLength(n: number): number[] {
  if (n < 1 << 6) return [n << 2];
  if (n < 1 << 14) {
    const v = (n << 2) | 1;
    return [v & 0xff, v >> 8];
  }
  if (n < 1 << 30) {
    const v = ((n << 2) | 2) >>> 0;
    return [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
  }
  throw new Error('vector too long');
}
