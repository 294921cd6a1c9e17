import { EXECUTOR_CLASSES } from '../../protocol/executor-class';
import { SYSTEM_EVENT_SUBTYPES, SYSTEM_EVENT_TYPES } from '../../observability/system-events/system-event.types';
import { parsePythonFloat } from '../../weights/engine/python-float';
import { parseBoolStrict } from '../env/parsers';
import { DYNAMIC_CONFIG_KEYS, DynamicConfigKey, DynamicConfigValue, DynamicKeySpec, DynamicStringFormat } from './dynamic-config.keys';

/** A value that does not fit its key; the message starts with the key and never quotes secrets (none are dynamic). */
export class DynamicConfigValueError extends Error {}

export interface CheckedDynamicValue<K extends DynamicConfigKey> {
  value: DynamicConfigValue<K>;
  /** Accepted, but worth telling the operator (e.g. an executor class this validator does not know). */
  notes: string[];
}

/**
 * Parses a raw value (environment or CLI string, stored JSON, remote JSON) into the key's type and
 * checks it against the key's limits and format. Throws DynamicConfigValueError naming the key.
 */
export function checkDynamicValue<K extends DynamicConfigKey>(key: K, raw: unknown): CheckedDynamicValue<K> {
  const spec: DynamicKeySpec = DYNAMIC_CONFIG_KEYS[key];
  const fail = (why: string): never => {
    throw new DynamicConfigValueError(`${key}: ${why}`);
  };
  const text = typeof raw === 'string' ? raw.trim() : raw;
  const notes: string[] = [];
  let value: number | bigint | boolean | string;
  switch (spec.type) {
    case 'bool': {
      const b = typeof text === 'boolean' ? text : typeof text === 'number' && (text === 0 || text === 1) ? text === 1 : parseBoolStrict(text);
      if (b === undefined) fail('expected true or false');
      value = b as boolean;
      break;
    }
    case 'int': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) fail(`expected an integer${rangeText(spec)}`);
      value = n;
      break;
    }
    case 'wei': {
      const s = typeof text === 'number' && Number.isSafeInteger(text) ? String(text) : typeof text === 'string' || typeof text === 'bigint' ? String(text) : '';
      if (!/^[+-]?\d+$/.test(s)) fail(`expected an integer amount of wei${rangeText(spec)}`);
      value = BigInt(s);
      break;
    }
    case 'float': {
      const n = typeof text === 'number' ? text : typeof text === 'string' ? parsePythonFloat(text) : undefined;
      if (n === undefined || !Number.isFinite(n)) fail(`expected a finite number${rangeText(spec)}`);
      value = n as number;
      break;
    }
    default: {
      if (typeof text !== 'string') fail('expected a string');
      value = text as string;
      if (spec.format) notes.push(...checkFormat(spec.format, value, fail));
    }
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    const outOfRange =
      (spec.min !== undefined && n < spec.min) ||
      (spec.max !== undefined && n > spec.max) ||
      (spec.above !== undefined && n <= spec.above) ||
      (spec.below !== undefined && n >= spec.below);
    if (outOfRange) fail(`${String(value)} is out of range${rangeText(spec)}`);
  }
  return { value: value as DynamicConfigValue<K>, notes };
}

/** The parsed value only (callers that need no notes). */
export function coerceDynamicValue<K extends DynamicConfigKey>(key: K, raw: unknown): DynamicConfigValue<K> {
  return checkDynamicValue(key, raw).value;
}

function rangeText(spec: DynamicKeySpec): string {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`>= ${spec.min}`);
  if (spec.above !== undefined) parts.push(`> ${spec.above}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  if (spec.below !== undefined) parts.push(`< ${spec.below}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

const CLASS_NAME = /^[A-Za-z0-9_.-]+$/;
const PY_INT = /^\s*[+-]?\d(?:_?\d)*\s*$/;
const KNOWN_CLASSES: readonly string[] = EXECUTOR_CLASSES;

/**
 * The grammars of configuration.md §5.5. The reference skips a malformed item silently; here a
 * malformed item refuses the whole value (it is almost always a typo), while a well-formed item
 * naming an executor class this validator does not know is accepted and reported: the reference
 * skips such items too, and the subnet owner's published weights use a class of a later version.
 */
function checkFormat(format: DynamicStringFormat, value: string, fail: (why: string) => never): string[] {
  const unknownClasses = new Set<string>();
  const notes: string[] = [];
  const className = (name: string, where: string): void => {
    if (!CLASS_NAME.test(name)) fail(`${where}: "${name}" is not an executor class name`);
    if (!KNOWN_CLASSES.includes(name)) unknownClasses.add(name);
  };
  if (format === 'class-float-map' || format === 'class-int-map') {
    if (value !== '') {
      for (const pair of value.split(',')) {
        const parts = pair.split('=');
        if (parts.length !== 2) fail(`expected class=${format === 'class-int-map' ? 'integer' : 'number'},... but found "${pair}"`);
        className(parts[0], `in "${pair}"`);
        if (format === 'class-int-map') {
          if (!PY_INT.test(parts[1])) fail(`in "${pair}": expected an integer`);
        } else {
          const n = parsePythonFloat(parts[1]);
          if (n === undefined || !Number.isFinite(n)) fail(`in "${pair}": expected a finite number`);
        }
      }
    }
  } else if (format === 'class-list') {
    for (const item of value.split(',')) if (item.trim() !== '') className(item.trim(), `in "${value}"`);
  } else if (format === 'ss58-list') {
    // Split without trimming, as the reference does: "a, b" would never match hotkey b there.
    for (const item of value.split(',')) {
      if (item === '') continue;
      if (/\s/.test(item)) fail(`"${item}" holds whitespace (expected comma-separated addresses without spaces)`);
      if (!isSs58(item)) notes.push(`"${item}" is not an ss58 address; it matches no hotkey`);
    }
  } else {
    for (const item of value.split(';')) {
      if (item.trim() === '') continue;
      const parts = item.split(',').map((s) => s.trim());
      if (parts.length !== 3 || !/^\d+$/.test(parts[2])) fail(`expected TYPE,SUBTYPE,N;... but found "${item}"`);
      if (!(SYSTEM_EVENT_TYPES as readonly string[]).includes(parts[0]) || !(SYSTEM_EVENT_SUBTYPES as readonly string[]).includes(parts[1])) {
        notes.push(`"${parts[0]},${parts[1]}" is not a known event type and subtype; that limit has no effect`);
      }
    }
  }
  for (const c of unknownClasses) notes.push(`executor class "${c}" is not one this validator knows; that item has no effect (as in the reference)`);
  return notes;
}

function isSs58(text: string): boolean {
  try {
    // Loaded on first use: the config module is read by every process, most never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('@polkadot/util-crypto') as typeof import('@polkadot/util-crypto')).decodeAddress(text);
    return true;
  } catch {
    return false;
  }
}

export function isDynamicConfigKey(key: string): key is DynamicConfigKey {
  return Object.prototype.hasOwnProperty.call(DYNAMIC_CONFIG_KEYS, key);
}

/** The form a value takes in the jsonb columns. */
export function toStoredValue(value: unknown): string | number | boolean {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/** A value as the CLI and logs show it. */
export function showDynamicValue(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? 'null');
}
