import { Injectable } from '@nestjs/common';
import { merge, Observable, Subject, map } from 'rxjs';
import { SystemEventsService } from '../system-events/system-events.service';

/** A job's status as it changes (synthetic or organic), for the live feed. */
export interface JobStatusChange {
  jobKind: 'synthetic' | 'organic';
  jobUuid: string;
  minerHotkey: string;
  executorClass?: string;
  status: string;
  comment?: string;
  batchId?: string;
}

export type LiveEvent =
  | { kind: 'system_event'; id: string; type: string; subtype: string; timestamp: string; description: string; data: unknown }
  | ({ kind: 'job_status'; timestamp: string } & JobStatusChange);

export type JobStatusEvent = Extract<LiveEvent, { kind: 'job_status' }>;

/** How many recent job status changes are kept for a page that opens later. */
export const RECENT_JOB_STATUSES = 100;

/**
 * What the operator's live view streams: every recorded system event, and job status changes that
 * the job modules publish here. In-process only; subscribers that are slow simply miss nothing
 * because rxjs delivers synchronously. The last 100 job status changes are kept in memory.
 */
@Injectable()
export class LiveFeedService {
  private readonly jobs = new Subject<JobStatusEvent>();
  private readonly recent: JobStatusEvent[] = [];

  constructor(private readonly systemEvents: SystemEventsService) {}

  publishJobStatus(change: JobStatusChange): void {
    const event: JobStatusEvent = { kind: 'job_status', timestamp: new Date().toISOString(), ...change };
    this.recent.push(event);
    if (this.recent.length > RECENT_JOB_STATUSES) this.recent.shift();
    this.jobs.next(event);
  }

  /** Job status changes only (metrics count them). */
  get jobStatus$(): Observable<JobStatusEvent> {
    return this.jobs.asObservable();
  }

  /** The newest job status changes, newest first. */
  recentJobStatuses(limit = RECENT_JOB_STATUSES): JobStatusEvent[] {
    return this.recent.slice(-limit).reverse();
  }

  get events$(): Observable<LiveEvent> {
    const system = this.systemEvents.events$.pipe(
      map(
        (e): LiveEvent => ({
          kind: 'system_event',
          id: e.id,
          type: e.type,
          subtype: e.subtype,
          timestamp: e.timestamp.toISOString(),
          description: e.longDescription,
          data: e.data,
        }),
      ),
    );
    return merge(system, this.jobs.asObservable());
  }
}
