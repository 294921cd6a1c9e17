import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { Timeout } from '@nestjs/schedule';
import type { WebSocket } from 'ws';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { LiveFeedService } from '../../observability/live/live-feed.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { END_STATUSES, JobStatusUpdate, parseFacilitatorFrame } from '../../protocol/facilitator';
import { interruptionMessage } from '../driver/outcome';
import { JobJournalRepository } from '../persistence/job-journal.repository';
import { OrganicJobRepository } from '../persistence/organic-job.repository';
import { JobContext, OrganicJobPipeline, PipelineHooks } from '../organic-job-pipeline.service';
import { CheatReportService } from '../trust/cheat-report.service';
import { ConnectionSettings, FacilitatorConnection } from './facilitator-connection';
import { DrainReport, JobAdmission } from './job-admission';
import { JobRecovery, RecoveryReport } from './job-recovery';
import { StatusOutbox } from './status-outbox';

export interface FacilitatorClientOptions extends ConnectionSettings {
  /** Jobs driven at the same time; further job requests wait for a slot. */
  maxConcurrentJobs: number;
  /** On stop: how long running jobs may still finish, then how long aborted ones get to end. */
  shutdownGraceMs: number;
  abortWaitMs: number;
  /** On stop: how long to wait for the facilitator's answers to the last updates. */
  settleMs: number;
  /** At start: an unfinished job that never reached a miner and is younger than this runs again. */
  resumeWindowMs: number;
  /** Benchmark hooks, called per job. */
  jobHooks?: (uuid: string) => PipelineHooks;
  /** Called when a status frame was handed to the socket (benchmark). */
  onStatusSent?: (update: JobStatusUpdate) => void;
}
export const FACILITATOR_CLIENT_OPTIONS = Symbol('FACILITATOR_CLIENT_OPTIONS');

/**
 * The validator's side of the facilitator protocol (organic-jobs.md §2): one connection
 * (`FacilitatorConnection`), status updates through a persistent outbox (`StatusOutbox`), job
 * requests stored before `received` and run with bounded concurrency (`JobAdmission`), and at start
 * the jobs a previous run left unfinished resumed or ended (`JobRecovery`). Stopping drains: no new
 * jobs, a grace period for running ones, a final status for every other, then the last answers.
 */
@Injectable()
export class FacilitatorClientService implements OnModuleDestroy {
  private readonly logger = new Logger(FacilitatorClientService.name);
  readonly options: FacilitatorClientOptions;
  private readonly outbox: StatusOutbox;
  private readonly admission: JobAdmission;
  private readonly recovery: JobRecovery;
  private readonly connection: FacilitatorConnection;
  private authenticated = false;
  private stopping: AbortController | null = null;
  private loopDone: Promise<void> | null = null;
  private stopped: Promise<DrainReport | null> | null = null;
  private authenticatedOnce: (() => void)[] = [];
  private lastRecovery: RecoveryReport | null = null;

  constructor(
    config: AppConfig,
    private readonly hotkey: ValidatorHotkey,
    clock: Clock,
    journal: JobJournalRepository,
    jobs: OrganicJobRepository,
    private readonly events: SystemEventsService,
    private readonly exclusive: ExclusiveRunner,
    pipeline: OrganicJobPipeline,
    private readonly cheats: CheatReportService,
    private readonly live: LiveFeedService,
    @Optional() @Inject(FACILITATOR_CLIENT_OPTIONS) options?: Partial<FacilitatorClientOptions>,
  ) {
    this.options = {
      uri: config.facilitator.FACILITATOR_URI, heartbeatMs: 60_000, backoffInitialMs: 2000, backoffMaxMs: 30_000, authRefusedBackoffMs: 120_000,
      authTimeoutMs: 10_000, pingIntervalMs: 20_000, maxPayloadBytes: 64 * 1024 * 1024, maxConcurrentJobs: 200,
      shutdownGraceMs: config.facilitator.ORGANIC_JOB_SHUTDOWN_GRACE_SECONDS * 1000, abortWaitMs: 5000, settleMs: 5000, resumeWindowMs: 60_000,
      ...options,
    };
    this.outbox = new StatusOutbox(journal, this.options.onStatusSent);
    const sink = (u: JobStatusUpdate, job?: JobContext) => this.report(u, job);
    this.admission = new JobAdmission(pipeline, sink, {
      maxConcurrentJobs: this.options.maxConcurrentJobs, hooks: this.options.jobHooks,
      onNotStarted: (uuid) => void this.events.record({
        type: 'VALIDATOR_FAILURE', subtype: 'INTERRUPTED', description: `Horde failed (validator_shutdown): ${interruptionMessage('validator_shutdown')} (last status: received)`,
        data: { job_uuid: uuid, miner_hotkey: null, last_status: 'received', cause: 'validator_shutdown' },
      }),
    });
    this.recovery = new JobRecovery(journal, jobs, events, clock, (u, job) => void this.report(u, job), this.admission, this.options.resumeWindowMs);
    this.connection = new FacilitatorConnection(this.options, clock, {
      authenticated: (ws) => this.onAuthenticated(ws, config.facilitator.DEBUG_CONNECT_FACILITATOR_WEBHOOK),
      frame: (text) => this.onFrame(text, journal),
      closed: (ws) => {
        this.authenticated = false;
        this.outbox.offline(ws);
      },
      heartbeatFailed: (message) => void this.events.record({ type: 'FACILITATOR_CLIENT_ERROR', subtype: 'HEARTBEAT_ERROR', description: `heartbeat failed: ${message}` }),
    }, { runner: config.core.VALIDATOR_RUNNER_VERSION, validator: config.core.VALIDATOR_VERSION });
  }

  /** The daemon starts the client once it is up (schedules only fire in the daemon). */
  @Timeout('facilitator-client-start', 0)
  startInDaemon(): void {
    if (!this.options.uri) {
      this.logger.warn('FACILITATOR_URI is empty: not connecting to a facilitator');
      return;
    }
    this.start();
  }

  /** Authenticated and sending updates directly. */
  get connected(): boolean {
    return this.authenticated && this.outbox.live;
  }

  /** Jobs taken on and not ended yet. */
  get jobsRunning(): number {
    return this.admission.inProgress;
  }

  /** What the start-up recovery did (null before it ran). */
  get recovered(): RecoveryReport | null {
    return this.lastRecovery;
  }

  /** Recovers unfinished jobs, then starts the connect/serve loop in the background (idempotent). */
  start(): void {
    if (this.loopDone) return;
    this.stopped = null;
    this.admission.open();
    this.stopping = new AbortController();
    const signal = this.stopping.signal;
    this.loopDone = this.exclusive
      .runExclusive('facilitator-client', async () => {
        // Under the lock: no other process is driving the jobs found unfinished.
        this.lastRecovery = await this.recovery.recover();
        await this.connection.run(() => this.hotkey.pair, signal);
      }, { wait: true })
      .then(() => undefined, (e: unknown) => this.logger.error({ err: e }, 'facilitator client stopped on an error'));
  }

  /** Resolves when the client is authenticated (tests, the CLI command). */
  whenConnected(timeoutMs = 30_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`not connected to the facilitator within ${timeoutMs} ms`)), timeoutMs);
      this.authenticatedOnce.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Runs until `signal` aborts (connect-facilitator in the foreground), then stops gracefully. */
  async runUntil(signal: AbortSignal): Promise<void> {
    this.start();
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    await this.stop();
  }

  /**
   * Stops taking jobs, gives running ones `shutdownGraceMs`, ends the rest with a final status, waits
   * up to `settleMs` for the facilitator's answers, then closes. Idempotent.
   */
  stop(): Promise<DrainReport | null> {
    this.stopped ??= this.drainAndClose();
    return this.stopped;
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /**
   * Queues a status update and returns at once; an end status resolves once it is stored, so a job
   * whose row is final always has its end status in the outbox.
   */
  sendStatus(update: JobStatusUpdate): Promise<void> {
    return this.report(update);
  }

  /** Resolves when every queued update of `uuid` (or of all jobs) is on the socket or in the outbox. */
  flushed(uuid?: string): Promise<void> {
    return this.outbox.flushed(uuid);
  }

  private report(update: JobStatusUpdate, job?: JobContext): Promise<void> {
    this.outbox.enqueue(update);
    this.live.publishJobStatus({ jobKind: 'organic', jobUuid: update.uuid, minerHotkey: job?.minerHotkey ?? '', executorClass: job?.executorClass, status: update.status });
    return END_STATUSES.includes(update.status) ? this.outbox.flushed(update.uuid) : Promise.resolve();
  }

  private async drainAndClose(): Promise<DrainReport | null> {
    let report: DrainReport | null = null;
    if (this.loopDone) {
      report = await this.admission.drain(this.options.shutdownGraceMs, this.options.abortWaitMs);
      if (report.interrupted || report.notStarted) this.logger.warn(report, 'organic jobs stopped by the shutdown');
      const { unanswered } = await this.outbox.settle(this.options.settleMs);
      if (unanswered) this.logger.warn({ unanswered }, 'status updates left for the next start');
    }
    this.stopping?.abort();
    this.connection.terminate();
    await this.loopDone;
    this.loopDone = null;
    await this.outbox.close();
    return report;
  }

  private onAuthenticated(ws: WebSocket, webhook: string): void {
    this.authenticated = true;
    this.outbox.online(ws);
    if (webhook) void fetch(webhook).catch(() => undefined);
    for (const cb of this.authenticatedOnce.splice(0)) cb();
  }

  private onFrame(text: string, journal: JobJournalRepository): void {
    const parsed = parseFacilitatorFrame(text);
    switch (parsed.kind) {
      case 'response':
        this.outbox.answer(parsed.message);
        return;
      case 'job-request':
        this.admission.take(parsed.message, () => journal.admit(parsed.message.uuid, text));
        return;
      case 'job-cheated':
        // A report may answer `completed` at once, before the driver has stored the job as COMPLETED.
        void this.admission
          .settled(parsed.message.job_uuid)
          .then(() => this.cheats.handle(parsed.message))
          .catch((e: unknown) => this.logger.error({ err: e, jobUuid: parsed.message.job_uuid }, 'cheat report failed'));
        return;
      case 'malformed':
        this.logger.warn({ reason: parsed.reason, jobUuid: parsed.jobUuid }, 'unsupported or malformed message from the facilitator');
        if (parsed.jobUuid !== null && !this.admission.has(parsed.jobUuid)) {
          void this.report({
            uuid: parsed.jobUuid, status: 'rejected',
            metadata: { job_rejection_details: { rejected_by: 'validator', reason: 'unknown', message: `Malformed job request: ${parsed.reason}`.slice(0, 1000), context: null } },
          });
        }
        return;
    }
  }
}
