import { Transform } from 'class-transformer';

/** django-environ's notion of true: anything else is false. */
const TRUE_WORDS = new Set(['true', 'on', 'ok', 'y', 'yes', '1']);

export function parseBool(raw: unknown, fallback: boolean): boolean {
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw === 'boolean') return raw;
  return TRUE_WORDS.has(String(raw).trim().toLowerCase());
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
export const EnvBool = () => Transform(({ value }) => (value === undefined || value === '' ? undefined : parseBool(value, false)));
export const EnvInt = () => Transform(({ value }) => parseIntStrict(value));
export const EnvFloat = () => Transform(({ value }) => parseFloatStrict(value));
export const EnvList = () => Transform(({ value }) => (value === undefined ? undefined : parseList(value)));
export const EnvString = () => Transform(({ value }) => (value === undefined || value === null ? undefined : String(value).trim()));
