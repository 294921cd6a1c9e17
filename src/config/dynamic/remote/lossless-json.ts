/**
 * JSON.parse that keeps integers beyond 2^53 exact: Python's json (the reference) reads
 * `12345678901234567890` as an exact int, JSON.parse would round it. Such literals (outside
 * strings) come back as decimal strings, which the `*_WEI` keys accept and the int keys refuse
 * as out of range. Everything else parses as JSON.parse does; malformed text throws as it does.
 */
export function parseJsonLossless(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      const literal = m ? m[0] : ch;
      const isBigInteger = m !== null && m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(Number(literal));
      out += isBigInteger ? `"${literal}"` : literal;
      i += literal.length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return JSON.parse(out);
}

/** Index just past the closing quote of the string starting at `start` (or the text's end). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i += 1;
  }
  return text.length;
}
