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

/**
 * What the operator's live view streams: every recorded system event, and job status changes that
 * the job modules publish here. In-process only; subscribers that are slow simply miss nothing
 * because rxjs delivers synchronously.
 */
@Injectable()
export class LiveFeedService {
  private readonly jobs = new Subject<LiveEvent>();

  constructor(private readonly systemEvents: SystemEventsService) {}

  publishJobStatus(change: JobStatusChange): void {
    this.jobs.next({ kind: 'job_status', timestamp: new Date().toISOString(), ...change });
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
