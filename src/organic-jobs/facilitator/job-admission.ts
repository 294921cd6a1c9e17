import { Logger } from '@nestjs/common';
import type { V2JobRequest } from '../../protocol/facilitator';
import { interruptedUpdate } from '../driver/outcome';
import type { OrganicJobPipeline, PipelineHooks, StatusSink } from '../organic-job-pipeline.service';

interface JobInFlight {
  abort: AbortController;
  /** Resolves when the job's task is over (its row written). */
  done: Promise<void>;
  /** True once the job holds a slot (routing and driving). */
  running: boolean;
  hooks?: PipelineHooks;
}

export interface AdmissionSettings {
  /** Jobs driven at the same time; further admitted jobs wait for a slot. */
  maxConcurrentJobs: number;
  hooks?: (uuid: string) => PipelineHooks;
  /** A job ended by the shutdown before it reached a slot (for its system event). */
  onNotStarted?: (uuid: string) => void;
}

export interface DrainReport {
  /** Jobs that ended on their own during the grace period. */
  finishedInGrace: number;
  /** Jobs stopped after it (each ended `horde_failed`). */
  interrupted: number;
  /** Jobs that had not reached a slot (each ended `horde_failed`). */
  notStarted: number;
}

/**
 * Which facilitator jobs run, and how they stop: every job request is stored before `received`
 * (through `store`), waits for one of `maxConcurrentJobs` slots, and is run by the pipeline. `drain`
 * stops taking jobs (new requests are refused `busy`), lets running jobs finish for a grace period,
 * then aborts the rest; every job it stops ends with a final status.
 */
export class JobAdmission {
  private readonly logger = new Logger('JobAdmission');
  private readonly jobs = new Map<string, JobInFlight>();
  private readonly done = new Set<() => void>();
  private active = 0;
  private readonly waiting: { uuid: string; grant: (ok: boolean) => void }[] = [];
  private closed = false;

  constructor(
    private readonly pipeline: OrganicJobPipeline,
    private readonly sink: StatusSink,
    private readonly settings: AdmissionSettings,
  ) {}

  /** Jobs taken on and not ended yet (waiting for a slot or running). */
  get inProgress(): number {
    return this.jobs.size;
  }

  /** Takes jobs again after a drain (a client started again in the same process). */
  open(): void {
    this.closed = false;
  }

  has(uuid: string): boolean {
    return this.jobs.has(uuid);
  }

  /**
   * Resolves once the job is no longer in progress here (at once for any other uuid). The end status
   * leaves before the job's row is written: a cheat report sent in answer to `completed` waits for it.
   */
  async settled(uuid: string): Promise<void> {
    await this.jobs.get(uuid)?.done;
  }

  /** A job request from the facilitator; `store` persists it (false: already known). */
  take(req: V2JobRequest, store: () => Promise<boolean>): void {
    if (this.closed) {
      void this.sink({
        uuid: req.uuid, status: 'rejected',
        metadata: { job_rejection_details: { rejected_by: 'validator', reason: 'busy', message: 'The validator is shutting down', context: null } },
      });
      return;
    }
    if (this.jobs.has(req.uuid)) {
      this.logger.warn({ jobUuid: req.uuid }, 'job request for a job already in progress ignored');
      return;
    }
    // Benchmark hooks start timing when the request arrives.
    const hooks = this.settings.hooks?.(req.uuid);
    this.track(req.uuid, hooks, async () => {
      if ((await this.pipeline.admit(req, this.sink, store)) !== 'taken') return;
      await this.runWhenFree(req);
    });
  }

  /** A job taken on before a restart that never reached a miner: runs again (its `received` was queued). */
  resume(req: V2JobRequest): void {
    if (this.jobs.has(req.uuid)) return;
    this.track(req.uuid, this.settings.hooks?.(req.uuid), () => this.runWhenFree(req));
  }

  /**
   * Stops taking jobs, waits up to `graceMs` for the running ones, aborts what is left and waits up to
   * `abortWaitMs` for those to end (their end statuses are then queued).
   */
  async drain(graceMs: number, abortWaitMs: number): Promise<DrainReport> {
    this.closed = true;
    const before = this.jobs.size;
    const queued = this.waiting.splice(0);
    for (const w of queued) w.grant(false);
    await this.idle(graceMs);
    const left = [...this.jobs.values()].filter((j) => j.running);
    for (const j of left) j.abort.abort();
    await this.idle(abortWaitMs);
    if (this.jobs.size > 0) this.logger.error({ jobs: [...this.jobs.keys()] }, 'organic jobs still running after they were aborted');
    return { finishedInGrace: Math.max(0, before - queued.length - left.length), interrupted: left.length, notStarted: queued.length };
  }

  private track(uuid: string, hooks: PipelineHooks | undefined, work: () => Promise<void>): void {
    const job: JobInFlight = { abort: new AbortController(), running: false, hooks, done: Promise.resolve() };
    this.jobs.set(uuid, job);
    job.done = work()
      .catch((e: unknown) => this.logger.error({ err: e, jobUuid: uuid }, 'organic job task failed'))
      .finally(() => {
        this.jobs.delete(uuid);
        for (const cb of [...this.done]) cb();
      });
  }

  private async runWhenFree(req: V2JobRequest): Promise<void> {
    const job = this.jobs.get(req.uuid) as JobInFlight;
    if (!(await this.slot(req.uuid))) {
      await this.sink(interruptedUpdate(req.uuid, 'validator_shutdown', 'received'));
      this.settings.onNotStarted?.(req.uuid);
      return;
    }
    job.running = true;
    try {
      await this.pipeline.run(req, this.sink, { hooks: job.hooks, signal: job.abort.signal });
    } finally {
      this.active--;
      this.waiting.shift()?.grant(true);
    }
  }

  private async slot(uuid: string): Promise<boolean> {
    if (this.closed) return false;
    if (this.active < this.settings.maxConcurrentJobs) {
      this.active++;
      return true;
    }
    const granted = await new Promise<boolean>((grant) => this.waiting.push({ uuid, grant }));
    if (granted) this.active++;
    return granted;
  }

  /** Resolves when no job is in progress, or after `timeoutMs`. */
  private idle(timeoutMs: number): Promise<void> {
    if (this.jobs.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.done.delete(check);
        resolve();
      };
      const check = () => {
        if (this.jobs.size === 0) finish();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.done.add(check);
    });
  }
}

