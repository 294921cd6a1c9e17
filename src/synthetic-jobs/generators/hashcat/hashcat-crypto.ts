import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Pure crypto helpers of the hashcat jobs (synthetic-jobs.md §5.2) [INTEROP]. */

export type HashAlgorithm = 'SHA256' | 'SHA384' | 'SHA512';

/** hashcat `--hash-type` of `H($pass.$salt)`. */
export const HASHCAT_MODE: Readonly<Record<HashAlgorithm, string>> = { SHA256: '1410', SHA384: '10810', SHA512: '1710' };
const NODE_HASH: Readonly<Record<HashAlgorithm, string>> = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const DIGITS = '0123456789';

/** `hex(H(ascii(p) ‖ salt)) + ":" + hex(salt)`. */
export function hashLine(algorithm: HashAlgorithm, password: string, salt: Buffer): string {
  const digest = createHash(NODE_HASH[algorithm]).update(Buffer.from(password, 'latin1')).update(salt).digest('hex');
  return `${digest}:${salt.toString('hex')}`;
}

export function hashAlgorithmFromMode(mode: string): HashAlgorithm | undefined {
  return (Object.keys(HASHCAT_MODE) as HashAlgorithm[]).find((a) => HASHCAT_MODE[a] === mode);
}

/** URL-safe Base64 with padding of SHA-256(utf8(x)): a Fernet key and the final answer. */
export function kdf(x: string): string {
  return toBase64Url(createHash('sha256').update(x, 'utf8').digest());
}

export function toBase64Url(b: Buffer): string {
  return b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export function fromBase64Url(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Standard Fernet token (version 0x80, AES-128-CBC, HMAC-SHA256). */
export function fernetEncrypt(key: string, plaintext: Buffer | string, opts: { timestampSeconds?: number; iv?: Buffer } = {}): string {
  const k = fromBase64Url(key);
  if (k.length !== 32) throw new Error('Fernet key must be 32 url-safe base64-encoded bytes');
  const iv = opts.iv ?? randomBytes(16);
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(opts.timestampSeconds ?? Math.floor(Date.now() / 1000)));
  const cipher = createCipheriv('aes-128-cbc', k.subarray(16), iv);
  const body = Buffer.concat([Buffer.from([0x80]), ts, iv, cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  const mac = createHmac('sha256', k.subarray(0, 16)).update(body).digest();
  return toBase64Url(Buffer.concat([body, mac]));
}

/** Decrypts a Fernet token without a TTL check; throws on a bad key or token. */
export function fernetDecrypt(key: string, token: string): Buffer {
  const k = fromBase64Url(key);
  const data = fromBase64Url(token);
  if (k.length !== 32 || data.length < 1 + 8 + 16 + 16 + 32 || data[0] !== 0x80) throw new Error('invalid Fernet token');
  const body = data.subarray(0, data.length - 32);
  const mac = createHmac('sha256', k.subarray(0, 16)).update(body).digest();
  if (!timingSafeEqual(mac, data.subarray(data.length - 32))) throw new Error('invalid Fernet token signature');
  const decipher = createDecipheriv('aes-128-cbc', k.subarray(16), body.subarray(9, 25));
  return Buffer.concat([decipher.update(body.subarray(25)), decipher.final()]);
}

/** CSPRNG bytes drawn from a pooled buffer: one randomBytes call per 64 KiB instead of one per password. */
const POOL_SIZE = 65536;
let pool = Buffer.alloc(0);
let poolPos = 0;
function randomByte(): number {
  if (poolPos >= pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolPos = 0;
  }
  return pool[poolPos++];
}

/** Random characters from `alphabet` (CSPRNG, unbiased by rejection). */
export function randomString(length: number, alphabet: string): string {
  let out = '';
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    const byte = randomByte();
    if (byte < limit) out += alphabet[byte % alphabet.length];
  }
  return out;
}
