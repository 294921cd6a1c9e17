import { ScaleReader, u64le, vecU16 } from '../scale';

/**
 * The plaintext of a timelocked weights commit, SCALE-encoded as subtensor's `WeightsTlockPayload`:
 *   v3 (`commit_crv3_weights`, runtime 293):  { uids: Vec<u16>, values: Vec<u16>, version_key: u64 }
 *   v4 (`commit_timelocked_weights`):          { hotkey: Vec<u8>, uids, values, version_key }
 * In v4 the chain checks that `hotkey` (the committer's 32-byte public key) is the signer.
 */
export interface TlockPayload {
  /** The committer's 32-byte sr25519 public key (v4 only). */
  hotkey?: Uint8Array;
  uids: readonly number[];
  values: readonly number[];
  versionKey: bigint;
}

export type TlockPayloadVersion = 3 | 4;

export function encodeTlockPayload(version: TlockPayloadVersion, p: TlockPayload): Uint8Array {
  if (p.uids.length !== p.values.length) throw new Error(`uids (${p.uids.length}) and values (${p.values.length}) differ in length`);
  const body = [...vecU16(p.uids), ...vecU16(p.values), ...u64le(p.versionKey)];
  if (version === 3) return Uint8Array.from(body);
  if (!p.hotkey || p.hotkey.length !== 32) throw new Error('a v4 timelocked payload needs the 32-byte hotkey public key');
  return Uint8Array.from([32 << 2, ...p.hotkey, ...body]);
}

export function decodeTlockPayload(version: TlockPayloadVersion, bytes: Uint8Array): TlockPayload {
  const r = new ScaleReader(bytes);
  const hotkey = version === 4 ? Uint8Array.from(r.bytesVec('payload hotkey')) : undefined;
  const uids = r.vecU16('payload uids');
  const values = r.vecU16('payload values');
  const versionKey = r.u64('payload version_key');
  r.end('timelocked payload');
  return { ...(hotkey ? { hotkey } : {}), uids, values, versionKey };
}
