/** The few SCALE encodings the weight payloads need (little-endian ints, compact lengths), both ways. */

export function u16le(v: number): number[] {
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`not a u16: ${v}`);
  return [v & 0xff, v >> 8];
}

export function u64le(v: bigint): number[] {
  if (v < 0n || v >= 1n << 64n) throw new Error(`not a u64: ${v}`);
  const out: number[] = [];
  for (let i = 0n; i < 8n; i++) out.push(Number((v >> (8n * i)) & 0xffn));
  return out;
}

/** SCALE compact encoding of a length (single-, two- and four-byte modes). */
export function compactLength(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a length: ${n}`);
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

/** `Vec<u16>`: compact length, then each value little-endian. */
export function vecU16(values: readonly number[]): number[] {
  const out = compactLength(values.length);
  for (const v of values) out.push(...u16le(v));
  return out;
}

/** A cursor over SCALE bytes; every read checks the bounds and says what was being read. */
export class ScaleReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(n: number, what: string): Uint8Array {
    if (n > this.remaining) throw new Error(`${what}: needs ${n} bytes, ${this.remaining} left`);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  u16(what: string): number {
    const b = this.take(2, what);
    return b[0] | (b[1] << 8);
  }

  u64(what: string): bigint {
    const b = this.take(8, what);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    return v;
  }

  compactLength(what: string): number {
    const first = this.take(1, what)[0];
    const mode = first & 3;
    if (mode === 0) return first >> 2;
    if (mode === 1) return (first | (this.take(1, what)[0] << 8)) >> 2;
    if (mode === 2) {
      const rest = this.take(3, what);
      return ((first | (rest[0] << 8) | (rest[1] << 16) | (rest[2] << 24)) >>> 0) >>> 2;
    }
    throw new Error(`${what}: compact lengths over 2^30 are not supported`);
  }

  vecU16(what: string): number[] {
    const n = this.compactLength(what);
    return Array.from({ length: n }, () => this.u16(what));
  }

  bytesVec(what: string): Uint8Array {
    return this.take(this.compactLength(what), what);
  }

  end(what: string): void {
    if (this.remaining !== 0) throw new Error(`${what}: ${this.remaining} trailing bytes`);
  }
}
