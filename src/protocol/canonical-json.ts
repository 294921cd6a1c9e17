/**
 * Python `json.dumps(value, sort_keys=True)` byte for byte (miner-protocol.md §3.4): ", " and ": "
 * separators, ensure_ascii escaping with lowercase \uXXXX. Signed blobs depend on every byte.
 */

export type CanonicalJsonValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly CanonicalJsonValue[]
  | { readonly [key: string]: CanonicalJsonValue | undefined };

export interface PythonJsonOptions {
  sortKeys?: boolean;
  /** Python separators; default [', ', ': '] (json.dumps default). Compact is [',', ':']. */
  separators?: readonly [string, string];
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Printable ASCII without `"` and `\`: such strings are written as they are. */
const NEEDS_NO_ESCAPE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal with Python's ensure_ascii=True escaping. */
export function pythonJsonString(s: string): string {
  if (NEEDS_NO_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const code = s.charCodeAt(i); // UTF-16 unit: astral characters come out as their surrogate pair, as in Python
    if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += '\\u' + code.toString(16).padStart(4, '0');
  }
  return out + '"';
}

/** Python float repr (shortest round-trip digits, exponent below 1e-4 and from 1e16). */
export function pythonFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '-0.0';
  const [mantissa, e] = n.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const digits = mantissa.replace('-', '').replace('.', '');
  const negative = n < 0 ? '-' : '';
  let body: string;
  if (exponent >= 0) {
    const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const frac = digits.slice(exponent + 1);
    body = `${intPart}.${frac === '' ? '0' : frac}`;
  } else {
    body = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return negative + body;
}

function dumpNumber(n: number): string {
  // JS cannot tell 1 from 1.0: integral numbers are written as Python ints (all protocol numbers are ints).
  if (Number.isSafeInteger(n)) return String(n);
  if (Number.isInteger(n)) return BigInt(n).toString();
  return pythonFloatRepr(n);
}

export function pythonJsonDumps(value: CanonicalJsonValue, options: PythonJsonOptions = {}): string {
  const [itemSep, keySep] = options.separators ?? [', ', ': '];
  const sortKeys = options.sortKeys ?? false;
  const dump = (v: CanonicalJsonValue): string => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return pythonJsonString(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return v.toString();
      case 'number':
        return dumpNumber(v);
    }
    if (Array.isArray(v)) return '[' + (v as readonly CanonicalJsonValue[]).map(dump).join(itemSep) + ']';
    const obj = v as { readonly [key: string]: CanonicalJsonValue | undefined };
    let keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
    if (sortKeys) keys = keys.sort(compareCodePoints);
    return '{' + keys.map((k) => pythonJsonString(k) + keySep + dump(obj[k] as CanonicalJsonValue)).join(itemSep) + '}';
  };
  return dump(value);
}

/** `json.dumps(value, sort_keys=True)`: the blob format of receipts and request signatures. */
export function canonicalJson(value: CanonicalJsonValue): string {
  return pythonJsonDumps(value, { sortKeys: true });
}

const SURROGATE = /[\ud800-\udfff]/;

function compareCodePoints(a: string, b: string): number {
  // Without surrogate pairs UTF-16 order is code point order.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = (ca[i].codePointAt(0) as number) - (cb[i].codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}
