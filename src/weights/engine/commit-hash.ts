import { blake2AsU8a } from '@polkadot/util-crypto';
import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

/**
 * Hash of a hash commit (scoring-synthetic-era.md §6.7, §8.5) [WIRE]:
 * BLAKE2b-256 of SCALE((AccountId32, u16 netuid, Vec<u16> uids, Vec<u16> values, Vec<u16> salt, u64 version_key)),
 * which is what subtensor recomputes on reveal.
 */
export interface HashCommitInput {
  publicKey: Uint8Array;
  netuid: number;
  uids: readonly number[];
  values: readonly number[];
  salt: readonly number[];
  versionKey: bigint;
}

function u16le(x: number): Uint8Array {
  if (!Number.isInteger(x) || x < 0 || x > 0xffff) throw new RangeError(`not a u16: ${x}`);
  return new Uint8Array([x & 0xff, x >> 8]);
}

function vecU16(xs: readonly number[]): Uint8Array {
  return u8aConcat(compactToU8a(xs.length), ...xs.map(u16le));
}

function u64le(x: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, x, true);
  return out;
}

export function hashCommitPreimage(input: HashCommitInput): Uint8Array {
  if (input.publicKey.length !== 32) throw new RangeError('public key must be 32 bytes');
  return u8aConcat(input.publicKey, u16le(input.netuid), vecU16(input.uids), vecU16(input.values), vecU16(input.salt), u64le(input.versionKey));
}

export function hashCommit(input: HashCommitInput): `0x${string}` {
  return u8aToHex(blake2AsU8a(hashCommitPreimage(input), 256)) as `0x${string}`;
}
