import { Logger } from '@nestjs/common';
import type { Clock } from '../../config/clock';
import type { SystemEventsService } from '../../observability/system-events/system-events.service';
import { parseFacilitatorFrame, type JobStatusUpdate } from '../../protocol/facilitator';
import { interruptedUpdate, interruptionMessage } from '../driver/outcome';
import type { JobJournalRepository, UnfinishedJob } from '../persistence/job-journal.repository';
import type { OrganicJobRepository } from '../persistence/organic-job.repository';
import type { JobContext } from '../organic-job-pipeline.service';
import type { JobAdmission } from './job-admission';

export interface RecoveryReport {
  resumed: string[];
  failed: string[];
  /** organic_job rows left PENDING by a stop right after their end status was queued, now settled. */
  rowsSettled: number;
}

/**
 * After a stop the process did not survive (kill -9, a crash, a SIGTERM grace period cut short),
 * every job that was taken on and never ended gets an end: a job that never reached a miner and is
 * younger than `resumeWindowMs` runs again (once); every other one ends `horde_failed` with the cause
 * `validator_restarted` and its last status, its row FAILED. Runs before the connection serves jobs,
 * under the same lock, so no other process is driving these jobs.
 */
export class JobRecovery {
  private readonly logger = new Logger('JobRecovery');

  constructor(
    private readonly journal: JobJournalRepository,
    private readonly jobs: OrganicJobRepository,
    private readonly events: SystemEventsService,
    private readonly clock: Clock,
    private readonly enqueue: (u: JobStatusUpdate, job?: JobContext) => void,
    private readonly admission: JobAdmission,
    private readonly resumeWindowMs: number,
  ) {}

  async recover(): Promise<RecoveryReport> {
    const rowsSettled = await this.journal.settleRowsOfEndedJobs();
    const report: RecoveryReport = { resumed: [], failed: [], rowsSettled };
    for (const job of await this.journal.unfinished()) {
      if (this.admission.has(job.jobUuid)) continue;
      const parsed = parseFacilitatorFrame(job.request);
      const fresh = this.clock.now() - job.receivedAt.getTime() < this.resumeWindowMs;
      if (parsed.kind === 'job-request' && job.organicJob === null && fresh && job.resumed === 0) {
        if (!job.queued.includes('received')) this.enqueue({ uuid: job.jobUuid, status: 'received', metadata: null });
        await this.journal.markResumed(job.jobUuid);
        this.admission.resume(parsed.message);
        report.resumed.push(job.jobUuid);
      } else {
        await this.fail(job);
        report.failed.push(job.jobUuid);
      }
    }
    if (report.resumed.length || report.failed.length || rowsSettled) this.logger.warn(report, 'organic jobs left unfinished by the previous run');
    return report;
  }

  private async fail(job: UnfinishedJob): Promise<void> {
    const lastStatus = job.queued.at(-1) ?? 'received';
    const context = { minerHotkey: job.organicJob?.minerHotkey ?? '', executorClass: job.organicJob?.executorClass ?? '' };
    if (!job.queued.includes('received')) this.enqueue({ uuid: job.jobUuid, status: 'received', metadata: null }, context);
    this.enqueue(interruptedUpdate(job.jobUuid, 'validator_restarted', lastStatus), context);
    const comment = `Horde failed (validator_restarted): ${interruptionMessage('validator_restarted')} (last status: ${lastStatus})`;
    if (job.organicJob) await this.jobs.failIfPending(job.jobUuid, comment, 'validator_restarted');
    await this.events.record({
      type: 'VALIDATOR_FAILURE', subtype: 'INTERRUPTED', description: comment,
      data: { job_uuid: job.jobUuid, miner_hotkey: job.organicJob?.minerHotkey ?? null, last_status: lastStatus, cause: 'validator_restarted' },
    });
  }
}
