import { ScaleReader } from '../scale';

/**
 * subtensor's limit on a timelocked commit (`MAX_CRV3_COMMIT_SIZE_BYTES`, the bound of the `commit`
 * argument of commit_crv3_weights and commit_timelocked_weights). Not in the runtime metadata.
 */
export const MAX_TIMELOCKED_COMMIT_BYTES = 5000;

/**
 * The arkworks-compressed `TLECiphertext<TinyBLS381>` that `tle` produces and the chain decodes:
 * U (G2, 96 bytes) | v | w | body (AES-GCM: ciphertext with tag, 12-byte nonce) | cipher suite,
 * each variable part prefixed by its u64 little-endian length.
 */
export interface TleCiphertextParts {
  u: Uint8Array;
  v: Uint8Array;
  w: Uint8Array;
  aesCiphertext: Uint8Array;
  nonce: Uint8Array;
  cipherSuite: string;
}

export function parseTleCiphertext(bytes: Uint8Array): TleCiphertextParts {
  const r = new ScaleReader(bytes);
  const vec = (what: string) => {
    const n = r.u64(`${what} length`);
    if (n > BigInt(r.remaining)) throw new Error(`${what}: length ${n} is beyond the ciphertext`);
    return r.take(Number(n), what);
  };
  const u = r.take(96, 'U (G2 point)');
  const v = vec('v');
  const w = vec('w');
  const body = new ScaleReader(vec('body'));
  const cipherSuite = Buffer.from(vec('cipher suite')).toString('latin1');
  r.end('timelock ciphertext');
  const aesLen = body.u64('AES-GCM ciphertext length');
  const aesCiphertext = body.take(Number(aesLen), 'AES-GCM ciphertext');
  const nonceLen = body.u64('nonce length');
  const nonce = body.take(Number(nonceLen), 'nonce');
  body.end('AES-GCM body');
  if (nonce.length !== 12) throw new Error(`AES-GCM nonce must be 12 bytes, got ${nonce.length}`);
  if (cipherSuite !== 'AES_GCM_') throw new Error(`unexpected cipher suite ${JSON.stringify(cipherSuite)}`);
  return { u, v, w, aesCiphertext, nonce, cipherSuite };
}

/** Exact size of the ciphertext `tle` produces for a plaintext of `n` bytes (AES-GCM adds a 16-byte tag). */
export function tleCiphertextSize(plaintextBytes: number): number {
  return 96 + (8 + 32) + (8 + 32) + 8 + (8 + plaintextBytes + 16 + 8 + 12) + (8 + 8);
}
