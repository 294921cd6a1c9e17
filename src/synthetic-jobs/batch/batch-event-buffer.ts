import type { SystemEventInput } from '../../observability/system-events/system-events.service';

/**
 * The batch's system events, kept in memory during the run (the caller stores them at the end) and
 * capped per `TYPE/SUBTYPE` (DYNAMIC_SYSTEM_EVENT_LIMITS), each tagged with the batch uuid.
 */
export class BatchEventBuffer {
  readonly events: SystemEventInput[] = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly batchUuid: string) {}

  record(limits: ReadonlyMap<string, number>, e: SystemEventInput): void {
    const key = `${e.type}/${e.subtype}`;
    const limit = limits.get(key);
    const n = this.counts.get(key) ?? 0;
    if (limit !== undefined && n >= limit) return;
    this.counts.set(key, n + 1);
    this.events.push({ ...e, data: { batch_uuid: this.batchUuid, ...(e.description ? { description: e.description } : {}), ...e.data } });
  }
}
