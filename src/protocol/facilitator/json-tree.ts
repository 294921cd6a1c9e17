/**
 * A lossless JSON reader for facilitator frames.
 *
 * Why not JSON.parse: `timestamp_ns` exceeds 2^53 (JSON.parse rounds it and every signature check
 * fails), and JavaScript objects enumerate integer-like keys ("0", "42") before the others, while the
 * signed text needs `env`, `form_fields` and `signed_headers` in the order they were received.
 * So objects keep their entries in order, and numbers keep their source text.
 */

export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject;

export class JsonNumber {
  constructor(readonly text: string) {}
  get isInteger(): boolean {
    return /^-?\d+$/.test(this.text);
  }
  toBigInt(): bigint {
    return BigInt(this.text);
  }
  toNumber(): number {
    return Number(this.text);
  }
}

export class JsonObject {
  /** Entries in the order received. A duplicate key keeps the last value (as Python does) at its first position. */
  readonly entries: [string, JsonNode][] = [];
  private readonly index = new Map<string, number>();

  set(key: string, value: JsonNode): void {
    const at = this.index.get(key);
    if (at === undefined) {
      this.index.set(key, this.entries.length);
      this.entries.push([key, value]);
    } else {
      this.entries[at] = [key, value];
    }
  }
  has(key: string): boolean {
    return this.index.has(key);
  }
  get(key: string): JsonNode | undefined {
    const at = this.index.get(key);
    return at === undefined ? undefined : this.entries[at][1];
  }
  keys(): string[] {
    return this.entries.map(([k]) => k);
  }
}

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
    this.name = 'JsonSyntaxError';
  }
}

const MAX_DEPTH = 200;

/** Parses one JSON text. Throws JsonSyntaxError on anything that is not exactly one JSON value. */
export function parseJsonTree(text: string): JsonNode {
  const p = new Parser(text);
  p.ws();
  const value = p.value(0);
  p.ws();
  if (p.i !== text.length) throw new JsonSyntaxError('unexpected trailing characters', p.i);
  return value;
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('nesting too deep', this.i);
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        throw new JsonSyntaxError(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`, this.i);
    }
  }

  private literal<T extends JsonNode>(word: string, v: T): T {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return v;
    }
    throw new JsonSyntaxError('invalid literal', this.i);
  }

  private number(): JsonNumber {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r || r[0] === '-' || r[0].length === 0) throw new JsonSyntaxError('invalid number', this.i);
    this.i += r[0].length;
    return new JsonNumber(r[0]);
  }

  private string(): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let start = i;
    for (;;) {
      // Fast path: long base64 volumes contain no escapes.
      const q = s.indexOf('"', i);
      const b = s.indexOf('\\', i);
      if (q < 0) throw new JsonSyntaxError('unterminated string', this.i);
      const stop = b >= 0 && b < q ? b : q;
      for (let k = i; k < stop; k++) {
        if (s.charCodeAt(k) < 0x20) throw new JsonSyntaxError('control character in string', k);
      }
      if (stop === q) {
        out += s.slice(start, q);
        this.i = q + 1;
        return out;
      }
      out += s.slice(start, b);
      const e = s[b + 1];
      let next = b + 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = s.slice(b + 2, b + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('invalid \\u escape', b);
          out += String.fromCharCode(parseInt(hex, 16));
          next = b + 6;
          break;
        }
        default:
          throw new JsonSyntaxError('invalid escape', b);
      }
      i = start = next;
    }
  }

  private array(depth: number): JsonNode[] {
    this.i++;
    const out: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') throw new JsonSyntaxError("expected ',' or ']'", this.i - 1);
    }
  }

  private object(depth: number): JsonObject {
    this.i++;
    const out = new JsonObject();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') throw new JsonSyntaxError('expected a string key', this.i);
      const key = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') throw new JsonSyntaxError("expected ':'", this.i - 1);
      this.ws();
      out.set(key, this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') throw new JsonSyntaxError("expected ',' or '}'", this.i - 1);
    }
  }
}

/** Converts a tree to plain JavaScript values (numbers as number when safe, else bigint kept as string text). */
export function treeToPlain(node: JsonNode): unknown {
  if (node === null || typeof node === 'boolean' || typeof node === 'string') return node;
  if (node instanceof JsonNumber) {
    const n = Number(node.text);
    return node.isInteger && !Number.isSafeInteger(n) ? node.text : n;
  }
  if (Array.isArray(node)) return node.map(treeToPlain);
  const o: Record<string, unknown> = {};
  for (const [k, v] of node.entries) o[k] = treeToPlain(v);
  return o;
}

/** Builds a tree from plain values (keys in JavaScript enumeration order). */
export function plainToTree(value: unknown): JsonNode {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return new JsonNumber(Number.isFinite(value) ? String(value) : 'null');
  if (typeof value === 'bigint') return new JsonNumber(value.toString());
  if (Array.isArray(value)) return value.map(plainToTree);
  if (value instanceof JsonObject || value instanceof JsonNumber) return value;
  const o = new JsonObject();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) o.set(k, plainToTree(v));
  return o;
}
