/**
 * Python's `float(str)` (scoring-synthetic-era.md §8.4): surrounding whitespace, a sign, digits
 * with single underscores between them, a fraction, an exponent, and inf/infinity/nan in any case.
 * Returns undefined where Python raises ValueError. `parseFloat` would accept trailing garbage.
 */
const DIGITS = String.raw`\d(?:_?\d)*`;
const NUMBER = new RegExp(String.raw`^[+-]?(?:(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf|infinity|nan)$`, 'i');

export function parsePythonFloat(raw: string): number | undefined {
  const s = raw.trim();
  if (!NUMBER.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/_/g, '');
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  return Number(lower);
}
