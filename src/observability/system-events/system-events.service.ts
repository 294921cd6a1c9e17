import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { DataSource, In } from 'typeorm';
import { SystemEvent } from './system-event.entity';
import type { JsonValue, RecordedSystemEvent, SystemEventData, SystemEventSubtype, SystemEventType } from './system-event.types';

export interface SystemEventInput {
  type: SystemEventType;
  subtype: SystemEventSubtype;
  description?: string;
  data?: Record<string, unknown>;
}

/**
 * Records operator-visible events and streams them to live subscribers.
 *
 * Writes go through the DataSource's own manager, never a caller's transaction, so an event
 * survives the rollback of the work it describes. On the embedded database (one session) do not
 * await `record` while holding a transaction: record after it ends.
 * Recording never throws: a failing database is logged, the caller goes on.
 */
@Injectable()
export class SystemEventsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SystemEventsService.name);
  private readonly stream = new Subject<RecordedSystemEvent>();
  /** Writes in progress: callers often do not await them, and the database must outlive them. */
  private readonly writing = new Set<Promise<unknown>>();

  constructor(private readonly dataSource: DataSource) {}

  /** Events recorded just before shutdown (fire-and-forget callers) are written before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
  }

  /** Live feed of recorded events (status page, tests). */
  get events$(): Observable<RecordedSystemEvent> {
    return this.stream.asObservable();
  }

  record(input: SystemEventInput): Promise<RecordedSystemEvent | undefined> {
    const write = this.write(input);
    this.writing.add(write);
    void write.finally(() => this.writing.delete(write));
    return write;
  }

  private async write(input: SystemEventInput): Promise<RecordedSystemEvent | undefined> {
    const data = toJsonData(input.data ?? {});
    try {
      const repo = this.dataSource.getRepository(SystemEvent);
      const saved = await repo.save(
        repo.create({ type: input.type, subtype: input.subtype, longDescription: input.description ?? '', data, sent: false }),
      );
      const event: RecordedSystemEvent = {
        id: saved.id,
        type: saved.type,
        subtype: saved.subtype,
        timestamp: saved.timestamp,
        longDescription: saved.longDescription,
        data: saved.data,
      };
      this.logger.log({ event: `${event.type}/${event.subtype}`, ...data }, event.longDescription || `${event.type}/${event.subtype}`);
      this.stream.next(event);
      return event;
    } catch (e) {
      this.logger.error({ err: e, type: input.type, subtype: input.subtype }, 'could not record system event');
      return undefined;
    }
  }

  async recent(limit = 50): Promise<RecordedSystemEvent[]> {
    return this.dataSource.getRepository(SystemEvent).find({ order: { id: 'DESC' }, take: limit });
  }

  /** Events not yet sent to the stats collector, oldest first (stats-upload). */
  async unsent(limit: number): Promise<SystemEvent[]> {
    return this.dataSource.getRepository(SystemEvent).find({ where: { sent: false }, order: { id: 'ASC' }, take: limit });
  }

  async markSent(ids: SystemEvent['id'][]): Promise<void> {
    await this.dataSource.getRepository(SystemEvent).update({ id: In(ids) }, { sent: true });
  }
}

/** bigint -> decimal string, Date -> ISO string, undefined dropped; keeps jsonb happy. */
export function toJsonData(input: Record<string, unknown>): SystemEventData {
  const out: SystemEventData = {};
  for (const [k, v] of Object.entries(input)) {
    const j = toJson(v);
    if (j !== undefined) out[k] = j;
  }
  return out;
}

function toJson(v: unknown): JsonValue | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => toJson(x) ?? null);
  if (v instanceof Error) return v.message;
  if (typeof v === 'object') return toJsonData(v as Record<string, unknown>);
  return String(v);
}
