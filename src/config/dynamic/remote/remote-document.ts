import { isRemoteSettable } from '../dynamic-config.keys';

/** One key's effective value in a remote source. */
export interface RemoteItem {
  value: unknown;
  reason?: string;
  /** ISO-8601, when the item had one. */
  effectiveFrom?: string;
}

/** What one remote source (one JSON file, or the contract) holds, ready to check and apply. */
export interface RemoteDocument {
  origin: string;
  /** `DYNAMIC_*` keys in document order, with the value in effect now. */
  values: Map<string, RemoteItem>;
  /** Keys whose entry is malformed (refused as a whole). */
  malformed: { key: string; reason: string }[];
  /** Keys present with only future items (nothing in effect yet). */
  pending: string[];
}

/**
 * The published file format (configuration.md §5.2): `{ KEY: { description, items: [{ value,
 * effective_from?, reason? }] } }`. Keys not starting with `DYNAMIC_` are ignored; items whose
 * `effective_from` is later than `now` are skipped; the last remaining item in list order wins
 * (an item effective exactly now counts). An `effective_from` without a zone is UTC.
 *
 * Deviation: the reference aborts the whole file on one malformed entry (after applying the keys
 * before it); here that key alone is refused and the others apply.
 */
export function parseRemoteDocument(origin: string, doc: unknown, now: Date): RemoteDocument {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${origin}: expected a JSON object of keys`);
  const out: RemoteDocument = { origin, values: new Map(), malformed: [], pending: [] };
  for (const [key, entry] of Object.entries(doc as Record<string, unknown>)) {
    if (!isRemoteSettable(key)) continue;
    const problem = entryProblem(entry);
    if (problem) {
      out.malformed.push({ key, reason: problem });
      continue;
    }
    let current: RemoteItem | undefined;
    for (const item of (entry as { items: Record<string, unknown>[] }).items) {
      const from = item.effective_from;
      if (typeof from === 'string' && parseUtc(from) > now.getTime()) continue;
      current = { value: item.value, ...(typeof item.reason === 'string' ? { reason: item.reason } : {}), ...(typeof from === 'string' ? { effectiveFrom: from } : {}) };
    }
    if (current) out.values.set(key, current);
    else out.pending.push(key);
  }
  return out;
}

function entryProblem(entry: unknown): string | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'expected {"description": ..., "items": [...]}';
  const e = entry as Record<string, unknown>;
  if (typeof e.description !== 'string') return 'missing "description"';
  if (!Array.isArray(e.items)) return 'missing "items" list';
  for (const [i, item] of e.items.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return `item ${i} is not an object`;
    const it = item as Record<string, unknown>;
    if (!('value' in it)) return `item ${i} has no "value"`;
    if (it.effective_from !== undefined && it.effective_from !== null && (typeof it.effective_from !== 'string' || Number.isNaN(parseUtc(it.effective_from)))) {
      return `item ${i}: "effective_from" is not an ISO-8601 date`;
    }
    if (it.reason !== undefined && it.reason !== null && typeof it.reason !== 'string') return `item ${i}: "reason" is not a string`;
  }
  return undefined;
}

/** Milliseconds since the epoch; a date-time without a zone is UTC (the reference would fail comparing it). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:[zZ]|[+-]\d{2}:?\d{2})?$/;

function parseUtc(text: string): number {
  const t = text.trim();
  if (!ISO_8601.test(t)) return NaN;
  const hasZone = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(t);
  const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
  const normal = t.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(hasZone || isDateOnly ? normal : `${normal}Z`);
}
