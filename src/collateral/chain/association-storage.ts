import { u8aConcat, u8aToHex, hexToU8a, u8aToBn } from '@polkadot/util';
import { xxhashAsU8a } from '@polkadot/util-crypto';

/**
 * Raw layout of `SubtensorModule.AssociatedEvmAddress` (collateral.md §2.2): a double map
 * `Twox64Concat(NetUid u16) , Twox64Concat(uid u16) -> (H160, u64)`. Used to read the table on
 * runtimes whose metadata does not describe it, by prefix iteration over raw keys.
 */
const PREFIX = u8aConcat(xxhashAsU8a('SubtensorModule', 128), xxhashAsU8a('AssociatedEvmAddress', 128));

function u16le(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >> 8) & 0xff]);
}

function twox64Concat(data: Uint8Array): Uint8Array {
  return u8aConcat(xxhashAsU8a(data, 64), data);
}

/** Storage key prefix of every association on one subnet. */
export function associationPrefix(netuid: number): `0x${string}` {
  return u8aToHex(u8aConcat(PREFIX, twox64Concat(u16le(netuid))));
}

export function associationKey(netuid: number, uid: number): `0x${string}` {
  return u8aToHex(u8aConcat(PREFIX, twox64Concat(u16le(netuid)), twox64Concat(u16le(uid))));
}

/** SCALE of the value tuple `(H160, u64)`. */
export function encodeAssociationValue(h160: string, block: bigint): `0x${string}` {
  const addr = hexToU8a(h160);
  if (addr.length !== 20) throw new Error('an H160 address has 20 bytes');
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, block, true);
  return u8aToHex(u8aConcat(addr, b));
}

export interface Association {
  uid: number;
  /** `0x` + 40 lowercase hex (what the reference's decoder produces). */
  evmAddress: string;
  /** Block at which ownership was last proven. */
  block: bigint;
}

/** Decodes one raw entry; null when the key is not of `netuid` or the value is malformed. */
export function decodeAssociationEntry(netuid: number, key: string, value: string | Uint8Array): Association | null {
  const prefix = associationPrefix(netuid).toLowerCase();
  const k = key.toLowerCase();
  if (!k.startsWith(prefix)) return null;
  const rest = hexToU8a(`0x${k.slice(prefix.length)}`);
  if (rest.length !== 10) return null; // twox64 hash (8) ++ uid (2)
  const uid = rest[8] | (rest[9] << 8);
  const v = typeof value === 'string' ? hexToU8a(value) : value;
  if (v.length !== 28) return null;
  return { uid, evmAddress: u8aToHex(v.subarray(0, 20)).toLowerCase(), block: BigInt(u8aToBn(v.subarray(20, 28), { isLe: true }).toString()) };
}
