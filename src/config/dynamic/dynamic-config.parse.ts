import { DYNAMIC_CONFIG_KEYS, DynamicConfigKey, DynamicConfigValue } from './dynamic-config.keys';
import { parseBool } from '../env/parsers';

export class DynamicConfigValueError extends Error {}

/** Coerces a raw value (env string, CLI string or stored JSON) to the key's declared type. */
export function coerceDynamicValue<K extends DynamicConfigKey>(key: K, raw: unknown): DynamicConfigValue<K> {
  const spec = DYNAMIC_CONFIG_KEYS[key];
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (spec.type) {
    case 'bool':
      if (typeof text === 'boolean') return text as DynamicConfigValue<K>;
      return parseBool(text, false) as DynamicConfigValue<K>;
    case 'int': {
      const n = typeof text === 'number' ? text : /^-?\d+$/.test(String(text)) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) throw new DynamicConfigValueError(`${key}: expected an integer`);
      return n as DynamicConfigValue<K>;
    }
    case 'wei': {
      const s = String(text);
      if (!/^-?\d+$/.test(s)) throw new DynamicConfigValueError(`${key}: expected an integer amount of wei`);
      return BigInt(s) as DynamicConfigValue<K>;
    }
    case 'float': {
      const n = typeof text === 'number' ? text : Number(text);
      if (typeof text === 'string' && text === '') throw new DynamicConfigValueError(`${key}: expected a number`);
      if (!Number.isFinite(n)) throw new DynamicConfigValueError(`${key}: expected a number`);
      return n as DynamicConfigValue<K>;
    }
    default:
      return String(text ?? '') as DynamicConfigValue<K>;
  }
}

export function isDynamicConfigKey(key: string): key is DynamicConfigKey {
  return Object.prototype.hasOwnProperty.call(DYNAMIC_CONFIG_KEYS, key);
}

/** The form a value takes in the jsonb column. */
export function toStoredValue(value: unknown): string | number | boolean {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
