import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { ValidateBy, ValidationError, validateSync } from 'class-validator';

/** Generic parse/validate plumbing shared by every wire model. Never throws. */

export type ModelClass<T> = new () => T;
export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** plainToInstance + validateSync with unknown fields stripped (the reference ignores them). */
export function parseModel<T extends object>(cls: ModelClass<T>, plain: unknown): ParseOutcome<T> {
  if (!isPlainObject(plain)) return { ok: false, reason: `expected a JSON object, got ${describe(plain)}` };
  try {
    const instance = plainToInstance(cls, plain, { exposeDefaultValues: true });
    const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
    if (errors.length > 0) return { ok: false, reason: formatErrors(errors) };
    return { ok: true, value: instance };
  } catch (e) {
    return { ok: false, reason: `invalid value: ${(e as Error).message}` };
  }
}

export function formatErrors(errors: ValidationError[], prefix = ''): string {
  const parts: string[] = [];
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) parts.push(`${path}: ${Object.values(e.constraints).join('; ')}`);
    if (e.children && e.children.length > 0) parts.push(formatErrors(e.children, path));
  }
  return parts.join(', ');
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Marker returned by union transforms for values that match no member; the validator rejects it. */
export class InvalidUnionValue {
  constructor(readonly reason: string) {}
}

/**
 * A tagged union field: `tag` selects the class; an unknown tag (or a non-object) yields
 * InvalidUnionValue, which IsUnionMember rejects with the reason.
 */
export function TaggedUnion(tag: string, members: Record<string, ModelClass<object>>, opts: { each?: boolean } = {}): PropertyDecorator {
  const convert = (raw: unknown): unknown => {
    if (raw === null || raw === undefined) return raw;
    if (!isPlainObject(raw)) return new InvalidUnionValue(`expected an object, got ${describe(raw)}`);
    const t = raw[tag];
    const cls = typeof t === 'string' && Object.prototype.hasOwnProperty.call(members, t) ? members[t] : undefined;
    if (!cls) return new InvalidUnionValue(`unknown ${tag} ${JSON.stringify(t)}`);
    const parsed = parseModel(cls, raw);
    return parsed.ok ? parsed.value : new InvalidUnionValue(`${t}: ${parsed.reason}`);
  };
  const transform = Transform(({ obj, key }) => {
    const raw = (obj as Record<string, unknown>)[key];
    if (opts.each) return Array.isArray(raw) ? raw.map(convert) : raw;
    return convert(raw);
  });
  const validate = ValidateBy({
    name: 'isUnionMember',
    validator: {
      validate: (value: unknown) => {
        const check = (v: unknown) => !(v instanceof InvalidUnionValue) && typeof v === 'object' && v !== null && Object.values(members).some((c) => v instanceof c);
        if (opts.each) return Array.isArray(value) && value.every(check);
        return check(value);
      },
      defaultMessage: (args) => {
        const v = args?.value;
        const bad = opts.each && Array.isArray(v) ? v.find((x) => x instanceof InvalidUnionValue) : v;
        if (bad instanceof InvalidUnionValue) return bad.reason;
        return `${args?.property} must be ${opts.each ? 'an array of ' : ''}one of ${Object.keys(members).join(', ')}`;
      },
    },
  });
  return (target: object, propertyKey: string | symbol) => {
    transform(target, propertyKey);
    validate(target, propertyKey);
  };
}

/** A nested model (not a union); with `each`, an array of them. */
export function NestedModel(cls: ModelClass<object>, opts: { each?: boolean } = {}): PropertyDecorator {
  const convert = (raw: unknown): unknown => {
    if (raw === null || raw === undefined) return raw;
    const parsed = parseModel(cls, raw);
    return parsed.ok ? parsed.value : new InvalidUnionValue(parsed.reason);
  };
  const transform = Transform(({ obj, key }) => {
    const raw = (obj as Record<string, unknown>)[key];
    if (opts.each) return Array.isArray(raw) ? raw.map(convert) : raw;
    return convert(raw);
  });
  const validate = ValidateBy({
    name: 'isNestedModel',
    validator: {
      validate: (value: unknown) => (opts.each ? Array.isArray(value) && value.every((v) => v instanceof cls) : value instanceof cls),
      defaultMessage: (args) => {
        const v = args?.value;
        const bad = opts.each && Array.isArray(v) ? v.find((x) => !(x instanceof cls)) : v;
        if (bad instanceof InvalidUnionValue) return bad.reason;
        return `${args?.property} must be ${opts.each ? 'an array of objects' : 'an object'} (${cls.name})`;
      },
    },
  });
  return (target: object, propertyKey: string | symbol) => {
    transform(target, propertyKey);
    validate(target, propertyKey);
  };
}

/** A JSON object whose values are all strings (env, form_fields, headers...). */
export function IsStringRecord(): PropertyDecorator {
  return ValidateBy({
    name: 'isStringRecord',
    validator: {
      validate: (value: unknown) => isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string'),
      defaultMessage: (args) => `${args?.property} must be an object of strings`,
    },
  });
}

/** Any JSON object (FailureContext, specs). */
export function IsJsonObject(): PropertyDecorator {
  return ValidateBy({
    name: 'isJsonObject',
    validator: {
      validate: (value: unknown) => isPlainObject(value),
      defaultMessage: (args) => `${args?.property} must be a JSON object`,
    },
  });
}
