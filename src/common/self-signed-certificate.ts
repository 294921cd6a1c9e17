import { generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { inspect } from 'node:util';

/**
 * The self-signed TLS certificate of a streaming job's endpoint or client (synthetic-jobs.md §4.2,
 * miner-protocol.md §7.3): RSA-2048, subject = issuer = CN=localhost, valid now … now + 365 days,
 * random positive serial, BasicConstraints CA=false (critical), SubjectAlternativeName
 * [DNS:localhost, <altName>] (an IP address becomes an iPAddress entry, anything else a dNSName),
 * signed with SHA-256. The reference generates the same fields with Python's `cryptography`; the
 * validator uses altName 127.0.0.1, an executor its public address.
 *
 * Node's crypto makes the key and the signature; the X.509 structure is encoded here as DER (a few
 * fixed shapes), so no ASN.1 library is needed.
 */

const VALIDITY_DAYS = 365;

export interface SelfSignedCertificateOptions {
  /** Second SubjectAlternativeName entry (IP address or DNS name). */
  altName: string;
  /** Validity start (default now). */
  now?: Date;
}

/**
 * A certificate and its private key. The key stays in this object: it is not enumerable, not part of
 * JSON or util.inspect output, so logging the object cannot leak it.
 */
export class SelfSignedCertificate {
  readonly #keyPem: string;

  constructor(
    /** PEM certificate (what goes into StreamingDetails.public_key / V0StreamingJobReadyRequest.public_key). */
    readonly certPem: string,
    keyPem: string,
  ) {
    this.#keyPem = keyPem;
  }

  /** Unencrypted PKCS#8 PEM private key, for TLS options only. */
  keyPem(): string {
    return this.#keyPem;
  }

  toJSON(): { certPem: string } {
    return { certPem: this.certPem };
  }

  [inspect.custom](): string {
    return `SelfSignedCertificate(${new X509Certificate(this.certPem).fingerprint256})`;
  }
}

export async function generateSelfSignedCertificate(opts: SelfSignedCertificateOptions): Promise<SelfSignedCertificate> {
  const { publicKey, privateKey } = await new Promise<{ publicKey: KeyObject; privateKey: KeyObject }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 65537 }, (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub, privateKey: priv }))),
  );
  const notBefore = opts.now ?? new Date();
  const notAfter = new Date(notBefore.getTime() + VALIDITY_DAYS * 86_400_000);
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('localhost', 'utf8'))))); // CN, UTF8String
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // version v3
    integer(randomSerial()),
    sha256WithRsa,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(
      extension('2.5.29.19', true, seq()), // BasicConstraints: cA defaults to FALSE, no path length
      extension('2.5.29.17', false, seq(tlv(0x82, Buffer.from('localhost', 'ascii')), generalName(opts.altName))),
    )),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, sha256WithRsa, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  return new SelfSignedCertificate(certPem, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
}

// ---- DER ----

function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

/** INTEGER from unsigned big-endian bytes (a leading 0 keeps it positive). */
function integer(unsigned: Buffer): Buffer {
  let b = unsigned;
  while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.subarray(1);
  return tlv(0x02, b[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5); whole seconds. */
function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), Buffer.from([0x01, 0x01, 0xff]), tlv(0x04, value)) : seq(oid(id), tlv(0x04, value));
}

function generalName(name: string): Buffer {
  if (isIP(name) === 4) return tlv(0x87, Buffer.from(name.split('.').map(Number)));
  if (isIP(name) === 6) return tlv(0x87, ipv6Bytes(name));
  return tlv(0x82, Buffer.from(name, 'ascii'));
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, null];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  let h = groups(head);
  let t = tail === null ? [] : groups(tail);
  // an embedded IPv4 tail (::ffff:1.2.3.4) is two groups
  const v4 = (xs: string[]) => {
    const last = xs[xs.length - 1];
    if (last && last.includes('.')) {
      const b = last.split('.').map(Number);
      return [...xs.slice(0, -1), ((b[0] << 8) | b[1]).toString(16), ((b[2] << 8) | b[3]).toString(16)];
    }
    return xs;
  };
  if (tail === null) h = v4(h);
  else t = v4(t);
  const all = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(all.flatMap((g) => [(parseInt(g, 16) >> 8) & 0xff, parseInt(g, 16) & 0xff]));
}

/** Like cryptography's random_serial_number: 159 random bits, so the INTEGER is positive and non-zero. */
function randomSerial(): Buffer {
  const b = randomBytes(20);
  b[0] &= 0x7f;
  if (b.every((x) => x === 0)) b[19] = 1;
  return b;
}
