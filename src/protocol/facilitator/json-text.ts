import { JsonNode, JsonNumber, JsonObject } from './json-tree';

/**
 * The two JSON text forms the signatures depend on (organic-jobs.md §0):
 * - compact: pydantic's model_dump_json (no spaces, raw UTF-8; strings as JSON.stringify writes them);
 * - Python: json.dumps defaults (", " and ": ", ensure_ascii: every code unit >= U+007F as \uXXXX).
 */

export function compactJson(node: JsonNode): string {
  if (node === null) return 'null';
  if (typeof node === 'boolean') return node ? 'true' : 'false';
  if (typeof node === 'string') return JSON.stringify(node);
  if (node instanceof JsonNumber) return node.text;
  if (Array.isArray(node)) return '[' + node.map(compactJson).join(',') + ']';
  return '{' + node.entries.map(([k, v]) => JSON.stringify(k) + ':' + compactJson(v)).join(',') + '}';
}

/** Python's json.dumps string literal (ensure_ascii=True), including the quotes. */
export function pythonJsonString(s: string): string {
  const js = JSON.stringify(s);
  // JSON.stringify already escapes ", \, and controls like Python (lowercase \u00xx), and writes lone
  // surrogates as \udxxx; only code units from DEL upward remain raw.
  let out = '';
  let start = 0;
  for (let i = 0; i < js.length; i++) {
    const c = js.charCodeAt(i);
    if (c >= 0x7f) {
      out += js.slice(start, i) + '\\u' + c.toString(16).padStart(4, '0');
      start = i + 1;
    }
  }
  return start === 0 ? js : out + js.slice(start);
}

/** Python's repr of a float parsed from `text` (json.dumps writes floats with repr). */
export function pythonFloatRepr(text: string): string {
  const v = Number(text);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  // Both JavaScript and Python produce the shortest round-trip digits; only the layout differs.
  const [mant, expPart] = v.toExponential().split('e');
  const exp = Number(expPart);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  if (exp >= -5 + 1 && exp < 16) {
    // repr uses fixed notation when -4 <= exp < 16
    let s: string;
    if (exp >= 0) {
      const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
      const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : '0';
      s = intPart + '.' + frac;
    } else {
      s = '0.' + '0'.repeat(-exp - 1) + digits;
    }
    return (neg ? '-' : '') + s;
  }
  const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  const e = (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  return (neg ? '-' : '') + m + 'e' + e;
}

function pythonNumber(n: JsonNumber): string {
  if (n.isInteger) return BigInt(n.text).toString();
  return pythonFloatRepr(n.text);
}

/** Compares keys as Python sorts str: by code point. */
function codePointCompare(a: string, b: string): number {
  const aa = Array.from(a);
  const bb = Array.from(b);
  for (let i = 0; i < Math.min(aa.length, bb.length); i++) {
    const d = aa[i].codePointAt(0)! - bb[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return aa.length - bb.length;
}

/** Python `json.dumps(value, sort_keys=sortKeys)` with default separators and ensure_ascii. */
export function pythonJson(node: JsonNode, sortKeys = false): string {
  if (node === null) return 'null';
  if (typeof node === 'boolean') return node ? 'true' : 'false';
  if (typeof node === 'string') return pythonJsonString(node);
  if (node instanceof JsonNumber) return pythonNumber(node);
  if (Array.isArray(node)) return '[' + node.map((v) => pythonJson(v, sortKeys)).join(', ') + ']';
  const entries = sortKeys ? [...node.entries].sort(([a], [b]) => codePointCompare(a, b)) : node.entries;
  return '{' + entries.map(([k, v]) => pythonJsonString(k) + ': ' + pythonJson(v, sortKeys)).join(', ') + '}';
}

export { JsonObject };
