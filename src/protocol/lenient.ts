import { Transform } from 'class-transformer';
import { canonicalDatetime } from './datetime';

/**
 * class-transformer decorators reproducing pydantic 2 lax-mode coercions (miner-protocol.md §5.1).
 * A value that cannot be coerced is passed through unchanged so that the class-validator rule on the
 * field rejects it with a clear message.
 */

/** Integers: JSON integers, integral floats, and strings of digits ("443" -> 443). */
export function laxInt(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : value;
  if (typeof value === 'string') {
    const s = value.trim();
    if (/^[+-]?\d+$/.test(s)) {
      const n = Number(s);
      return Number.isSafeInteger(n) ? n : value;
    }
    if (/^[+-]?\d+\.0*$/.test(s)) return Number(s);
  }
  return value;
}

export const LaxInt = (): PropertyDecorator => Transform(({ value }) => laxInt(value));

const TRUE_STRINGS = ['1', 'on', 't', 'true', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'off', 'f', 'false', 'n', 'no'];

/** Booleans: true/false, 0/1 and pydantic's accepted strings. */
export function laxBool(value: unknown): unknown {
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (TRUE_STRINGS.includes(s)) return true;
    if (FALSE_STRINGS.includes(s)) return false;
  }
  return value;
}

export const LaxBool = (): PropertyDecorator => Transform(({ value }) => laxBool(value));

/**
 * Enums with an "unknown" member: any present value that is not a member maps to "unknown" (the
 * reference's `_missing_`); an absent value gets the default. null stays null (rejected by the rule).
 */
export const LenientEnum = (values: readonly string[], fallback = 'unknown'): PropertyDecorator =>
  Transform(({ value }) => {
    if (value === undefined || value === null) return value;
    return typeof value === 'string' && values.includes(value) ? value : fallback;
  });

/** Datetimes: canonical pydantic rendering, or the raw value when it does not parse. */
export const CanonicalDatetimeField = (): PropertyDecorator =>
  Transform(({ value }) => {
    const canonical = canonicalDatetime(value);
    return canonical === null ? { invalidDatetime: value } : canonical;
  });
