import { createHash } from 'node:crypto';

/**
 * CPython 3.11 `random.Random` reproduced bit for bit (MT19937 + CPython's seeding, getrandbits,
 * randbelow, choice, shuffle, random). Other validators seed it with shared values (a block hash
 * for the synthetic-batch slot, a cycle start for the burn), so any divergence changes consensus.
 *
 * Pure: no Nest, no I/O.
 */
export class PythonRandom {
  private readonly mt = new Uint32Array(624);
  private mti = 625;

  /** `seed`: a non-negative integer (number or bigint) or a string (CPython seeding version 2). */
  constructor(seed: number | bigint | string) {
    this.seed(seed);
  }

  seed(seed: number | bigint | string): void {
    let a: bigint;
    if (typeof seed === 'string') {
      const bytes = Buffer.from(seed, 'utf8');
      const digest = createHash('sha512').update(bytes).digest();
      const all = Buffer.concat([bytes, digest]);
      a = all.length === 0 ? 0n : BigInt('0x' + all.toString('hex'));
    } else {
      a = BigInt(seed);
      // CPython seeds with abs(int).
      if (a < 0n) a = -a;
    }
    this.initByArray(toWords(a));
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = 624;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    const n = 624;
    for (let k = Math.max(n, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= n) {
        mt[0] = mt[n - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = n - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= n) {
        mt[0] = mt[n - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.mti = 624;
  }

  /** MT19937 `genrand_uint32`. */
  genrandUint32(): number {
    const mt = this.mt;
    if (this.mti >= 624) {
      let kk = 0;
      for (; kk < 624 - 397; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + 397] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < 623; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (397 - 624)] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[623] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[623] = mt[396] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** CPython `getrandbits(k)`, returned as a bigint (exact for any k). */
  getrandbitsBig(k: number): bigint {
    if (!Number.isInteger(k) || k < 0) throw new RangeError('number of bits must be a non-negative integer');
    if (k === 0) return 0n;
    if (k <= 32) return BigInt(this.genrandUint32() >>> (32 - k));
    // CPython fills 32-bit words least significant first; the last word keeps its top bits.
    let result = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let r = this.genrandUint32();
      if (left < 32) r >>>= 32 - left;
      result |= BigInt(r) << shift;
      shift += 32n;
    }
    return result;
  }

  /** CPython `getrandbits(k)` for k ≤ 32 as a number. */
  getrandbits(k: number): number {
    if (k > 32) throw new RangeError('use getrandbitsBig for more than 32 bits');
    return Number(this.getrandbitsBig(k));
  }

  /** CPython `_randbelow_with_getrandbits(n)`: uniform in [0, n). */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`randbelow needs a positive integer, got ${n}`);
    const k = bitLength(n);
    if (k <= 32) {
      let r = this.getrandbits(k);
      while (r >= n) r = this.getrandbits(k);
      return r;
    }
    const big = BigInt(n);
    let r = this.getrandbitsBig(k);
    while (r >= big) r = this.getrandbitsBig(k);
    return Number(r);
  }

  /** CPython `choice(seq)`. */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new RangeError('Cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)];
  }

  /** CPython `shuffle(x)` in place; returns the same array for convenience. */
  shuffle<T>(x: T[]): T[] {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** CPython `random()`: 53-bit float in [0, 1). */
  random(): number {
    const a = this.genrandUint32() >>> 5;
    const b = this.genrandUint32() >>> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  /** CPython `randint(a, b)` (inclusive), integers within the safe range. */
  randint(a: number, b: number): number {
    return a + this.randbelow(b - a + 1);
  }
}

function bitLength(n: number): number {
  return n === 0 ? 0 : n.toString(2).length;
}

/** 32-bit words of a non-negative integer, least significant first; at least one word. */
function toWords(a: bigint): number[] {
  const words: number[] = [];
  let x = a;
  while (x > 0n) {
    words.push(Number(x & 0xffffffffn));
    x >>= 32n;
  }
  if (words.length === 0) words.push(0);
  return words;
}
