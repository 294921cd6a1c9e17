import type { SystemEventData } from '../observability/system-events/system-event.types';

export interface StatsEvent {
  type: string;
  subtype: string;
  timestamp: string;
  data: SystemEventData;
}

/** Python's `datetime.isoformat()` of an aware UTC datetime: `+00:00`, microseconds only when non-zero. */
export function pythonIsoformatUtc(date: Date): string {
  const base = date.toISOString().slice(0, 19);
  const ms = date.getUTCMilliseconds();
  return `${base}${ms === 0 ? '' : `.${String(ms * 1000).padStart(6, '0')}`}+00:00`;
}

/** The stats collector's form of a system event (data-model.md §2.4): stored data wins over the description. */
export function serializeSystemEvent(row: { type: string; subtype: string; timestamp: Date; longDescription: string; data: SystemEventData }): StatsEvent {
  return {
    type: row.type,
    subtype: row.subtype,
    timestamp: pythonIsoformatUtc(row.timestamp),
    data: { description: row.longDescription, ...row.data },
  };
}

/** `{"signing_timestamp": 1730715900, "validator_ss58_address": "5F..."}`: sorted keys, Python separators. */
export function statsSigningText(signingTimestamp: number, validatorSs58: string): string {
  return `{"signing_timestamp": ${signingTimestamp}, "validator_ss58_address": ${JSON.stringify(validatorSs58)}}`;
}
