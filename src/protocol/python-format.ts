/**
 * Python's "%.Nf" and "%.Ng" for score_str (miner-protocol.md §10.6). Rounding is done on the exact
 * binary value with half-even ties, as CPython does (JS toFixed rounds ties up, e.g. 0.0078125).
 */

/** |x| = digits / 10^scale exactly. */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  if (exp >= 0) return { digits: mant << BigInt(exp), scale: 0 };
  return { digits: mant * 5n ** BigInt(-exp), scale: -exp };
}

/** digits/10^scale rounded half-even to `decimals` places, as an integer at that scale (decimals may be negative). */
function roundHalfEven(digits: bigint, scale: number, decimals: number): bigint {
  if (decimals >= scale) return digits * 10n ** BigInt(decimals - scale);
  const div = 10n ** BigInt(scale - decimals);
  const keep = digits / div;
  const rem = digits % div;
  const twice = rem * 2n;
  if (twice > div || (twice === div && keep % 2n === 1n)) return keep + 1n;
  return keep;
}

function placeDecimals(n: bigint, decimals: number): string {
  if (decimals <= 0) return (n * 10n ** BigInt(-decimals)).toString();
  const s = n.toString().padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** Python `'%.{decimals}f' % x`. */
export function pythonFormatFixed(x: number, decimals = 6): string {
  const s = special(x);
  if (s !== null) return s;
  const { digits, scale } = exactDecimal(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  return sign + placeDecimals(roundHalfEven(digits, scale, decimals), decimals);
}

/** Python `'%.{precision}g' % x`. */
export function pythonFormatGeneral(x: number, precision = 6): string {
  const s = special(x);
  if (s !== null) return s;
  const p = precision === 0 ? 1 : precision;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0`;
  const { digits, scale } = exactDecimal(x);
  let e = digits.toString().length - 1 - scale;
  let rounded = roundHalfEven(digits, scale, p - 1 - e);
  if (rounded.toString().length > p) {
    e += 1;
    rounded = roundHalfEven(digits, scale, p - 1 - e);
  }
  const strip = (t: string) => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
  if (e >= -4 && e < p) return sign + strip(placeDecimals(rounded, p - 1 - e));
  const mantissa = strip(placeDecimals(rounded, p - 1));
  return `${sign}${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}
