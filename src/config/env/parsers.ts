import { Transform } from 'class-transformer';
import { IsBoolean, ValidateBy } from 'class-validator';

/** django-environ's words for true. */
const TRUE_WORDS = new Set(['true', 'on', 'ok', 'y', 'yes', '1']);
/** What an operator writes for false; anything that is neither is refused (a typo, not a choice). */
const FALSE_WORDS = new Set(['false', 'off', 'no', 'n', '0', 'none']);

/** true / false for a recognised word, undefined for anything else. */
export function parseBoolStrict(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return undefined;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** Integer parsing that refuses "12abc" and "1.5" instead of truncating them. */
export function parseIntStrict(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'number') return raw;
  const s = String(raw).trim();
  return /^-?\d+$/.test(s) ? Number(s) : NaN;
}

export function parseFloatStrict(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'number') return raw;
  const s = String(raw).trim();
  return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}

export function parseList(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (Array.isArray(raw)) return raw.map(String);
  return String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Property decorators. An unset variable transforms to undefined, and plainToInstance with
 * exposeDefaultValues then keeps the property initialiser as the default.
 */
export const BOOL_EXPECTATION = 'expected true or false (true, on, ok, y, yes, 1 / false, off, no, n, 0)';
/** A word that is not a boolean stays a string, so IsBoolean names the variable. */
export const EnvBool = (): PropertyDecorator => (target, key) => {
  Transform(({ value }) => (value === undefined || value === '' ? undefined : (parseBoolStrict(value) ?? String(value))))(target, key);
  IsBoolean({ message: BOOL_EXPECTATION })(target, key);
};
export const EnvInt = () => Transform(({ value }) => parseIntStrict(value));
export const EnvFloat = () => Transform(({ value }) => parseFloatStrict(value));
export const EnvList = () => Transform(({ value }) => (value === undefined ? undefined : parseList(value)));
export const EnvString = () => Transform(({ value }) => (value === undefined || value === null ? undefined : String(value).trim()));

/** A validation rule as a predicate and the one-line expectation shown when it fails. */
export const Satisfies = (name: string, test: (value: unknown) => boolean, expectation: string): PropertyDecorator =>
  ValidateBy({ name, validator: { validate: (value) => test(value), defaultMessage: () => expectation } });

/** Empty, or a URL with one of `schemes` (e.g. ['http', 'https']). */
export function isUrlOrEmpty(value: unknown, schemes: readonly string[]): boolean {
  if (value === '' || value === undefined) return true;
  if (typeof value !== 'string') return false;
  try {
    const u = new URL(value);
    return schemes.includes(u.protocol.replace(/:$/, '')) && u.hostname !== '';
  } catch {
    return false;
  }
}
