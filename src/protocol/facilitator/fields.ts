import { JsonNode, JsonNumber, JsonObject } from './json-tree';

/** A validation failure with the JSON path of the offending field (pydantic-style "loc"). */
export class FieldError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path || '<root>'}: ${problem}`);
    this.name = 'FieldError';
  }
}

/** Ordered string→string map (env, form_fields, signed_headers): order is part of the signed text. */
export type StringPairs = ReadonlyArray<readonly [string, string]>;

export function describe(node: JsonNode | undefined): string {
  if (node === undefined) return 'missing';
  if (node === null) return 'null';
  if (Array.isArray(node)) return 'an array';
  if (node instanceof JsonObject) return 'an object';
  if (node instanceof JsonNumber) return `the number ${node.text.length > 30 ? node.text.slice(0, 30) + '…' : node.text}`;
  return typeof node === 'string' ? 'a string' : `the boolean ${String(node)}`;
}

export function asObject(node: JsonNode | undefined, path: string): JsonObject {
  if (node instanceof JsonObject) return node;
  throw new FieldError(path, `expected an object, got ${describe(node)}`);
}

/** Rejects keys outside `allowed` (the reference's `extra="forbid"` models). */
export function forbidExtra(o: JsonObject, allowed: readonly string[], path: string): void {
  for (const k of o.keys()) if (!allowed.includes(k)) throw new FieldError(join(path, k), 'extra inputs are not permitted');
}

export function join(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

export function reqString(o: JsonObject, key: string, path: string): string {
  const v = o.get(key);
  if (typeof v === 'string') return v;
  throw new FieldError(join(path, key), v === undefined ? 'field required' : `expected a string, got ${describe(v)}`);
}

export function optString(o: JsonObject, key: string, path: string, dflt: string | null = null): string | null {
  const v = o.get(key);
  if (v === undefined) return dflt;
  if (v === null) return null;
  if (typeof v === 'string') return v;
  throw new FieldError(join(path, key), `expected a string or null, got ${describe(v)}`);
}

/** pydantic lax int: integers, floats with no fraction, and decimal strings. */
export function laxInt(v: JsonNode | undefined, path: string): bigint {
  if (v instanceof JsonNumber) {
    if (v.isInteger) return v.toBigInt();
    const n = v.toNumber();
    if (Number.isFinite(n) && Number.isInteger(n)) return BigInt(n);
    throw new FieldError(path, 'expected an integer, got a number with a fractional part');
  }
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return BigInt(v.trim());
  throw new FieldError(path, v === undefined ? 'field required' : `expected an integer, got ${describe(v)}`);
}

export function reqInt(o: JsonObject, key: string, path: string): number {
  const b = laxInt(o.get(key), join(path, key));
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)) throw new FieldError(join(path, key), 'integer out of range');
  return Number(b);
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/** pydantic lax bool. */
export function laxBool(v: JsonNode | undefined, path: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v instanceof JsonNumber && (v.text === '0' || v.text === '1')) return v.text === '1';
  if (typeof v === 'string') {
    const w = v.toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
  }
  throw new FieldError(path, v === undefined ? 'field required' : `expected a boolean, got ${describe(v)}`);
}

export function reqBool(o: JsonObject, key: string, path: string): boolean {
  return laxBool(o.get(key), join(path, key));
}

export function optBool(o: JsonObject, key: string, path: string, dflt: boolean): boolean {
  const v = o.get(key);
  return v === undefined ? dflt : laxBool(v, join(path, key));
}

export function reqStringList(o: JsonObject, key: string, path: string): string[] {
  const v = o.get(key);
  if (!Array.isArray(v)) throw new FieldError(join(path, key), v === undefined ? 'field required' : `expected an array, got ${describe(v)}`);
  return v.map((item, i) => {
    if (typeof item !== 'string') throw new FieldError(join(join(path, key), i), `expected a string, got ${describe(item)}`);
    return item;
  });
}

export function stringPairs(v: JsonNode | undefined, path: string): [string, string][] {
  const o = asObject(v, path);
  return o.entries.map(([k, val]) => {
    if (typeof val !== 'string') throw new FieldError(join(path, k), `expected a string, got ${describe(val)}`);
    return [k, val];
  });
}

export function optStringPairs(o: JsonObject, key: string, path: string): [string, string][] | null {
  const v = o.get(key);
  if (v === undefined || v === null) return null;
  return stringPairs(v, join(path, key));
}

export function literal<T extends string>(o: JsonObject, key: string, path: string, expected: T, dflt?: T): T {
  const v = o.get(key);
  if (v === undefined && dflt !== undefined) return dflt;
  if (v === expected) return expected;
  throw new FieldError(join(path, key), `expected ${JSON.stringify(expected)}, got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 60)) : describe(v)}`);
}

export function oneOf<T extends string>(o: JsonObject, key: string, path: string, allowed: readonly T[], dflt?: T): T {
  const v = o.get(key);
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new FieldError(join(path, key), `expected one of ${allowed.join(', ')}, got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 60)) : describe(v)}`);
}
