import { randomUUID } from 'node:crypto';
import type { Clock } from '../../config/clock';
import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import type { SelfSignedCertificate } from '../../common/self-signed-certificate';
import { mapLimit } from '../../common/map-limit';
import { allowedExcuseValidators, BAC_VALIDATOR_SS58_ADDRESS } from '../../protocol/excuses';
import { receiptSignerFor, signBytesWith } from './receipt-signer';
import { batchStreamingCertificate, prepareStreamingJobs, runStreamingJob } from './streaming-stage';
import type { StreamingTarget } from './streaming-trigger';
import { batchTimingsWith } from './batch-timings';
import type { BatchEngineDeps, BatchEngineInput, BatchEngineResult, JobOutcome } from './batch-engine-types';
import { LLM_CLASS, type BatchRunContext, type JobState, type MinerCtx, type PlannedJob } from './batch-run-state';
import { BatchEventBuffer } from './batch-event-buffer';
import { getManifest } from './manifest-stage';
import { limitExecutorCounts } from './executor-limits';
import { runInitialStage } from './initial-request-stage';
import { runJobStage, streamingStageDeps } from './job-request-stage';
import { judgeBatchJob } from './job-judging';
import { sendFinishedReceipt } from './finished-receipt-stage';
import { recordBatchTelemetry } from './batch-telemetry';
import { paced, shuffleByMiner } from './job-start-order';

export { REFERENCE_BATCH_TIMINGS, type BatchTimings } from './batch-timings';
export type {
  BatchMiner, BatchEngineConfig, JobFactory, BatchProgress, BatchEngineDeps, BatchEngineInput, JobOutcome, SkippedJobs, BatchEngineResult,
} from './batch-engine-types';

/**
 * The batch run (synthetic-jobs.md §4): every serving miner concurrently, every stage bounded by its
 * own deadline on the injected Clock. No database access inside: the caller persists the result.
 * This file is the stage order; each stage's exchange with the miners lives in its own `*-stage.ts`.
 */
export class SyntheticBatchEngine {
  private readonly batchUuid = randomUUID();
  private readonly buffer = new BatchEventBuffer(this.batchUuid);
  private readonly stageStart: Record<string, string> = {};
  /** The per-batch TLS client certificate, made only when the batch has streaming jobs (§4.2). */
  private streamingCert: SelfSignedCertificate | null = null;
  private readonly failuresByMiner = new Map<string, string>();
  /** Everything a stage needs but the event limits (those come with the run's config). */
  private readonly base: Omit<BatchRunContext, 'ev'>;

  constructor(private readonly deps: BatchEngineDeps) {
    const signBytes = deps.signBytes ?? signBytesWith(deps.pair);
    this.base = {
      clock: deps.clock,
      timings: batchTimingsWith(deps.timings),
      validatorSs58: deps.pair.address,
      sign: receiptSignerFor(signBytes),
      signBytes,
    };
  }

  private get clock(): Clock {
    return this.deps.clock;
  }

  async run(input: BatchEngineInput): Promise<BatchEngineResult> {
    const cfg = input.config;
    const ev = (e: SystemEventInput) => this.buffer.record(cfg.eventLimits, e);
    const run: BatchRunContext = { ...this.base, ev };
    const result: BatchEngineResult = {
      batchUuid: this.batchUuid, manifests: new Map(), minerFailures: new Map(), limitedCounts: new Map(), jobs: [], skipped: [], events: this.buffer.events,
      closed: Promise.resolve(),
    };
    const ctxs: MinerCtx[] = input.miners.map((miner) => ({ miner, arrivals: new Map(), lost: false, manifest: null }));
    const checkpoint = (stage: string) => {
      this.stageStart[stage] = this.clock.nowDate().toISOString();
      ev({ type: 'VALIDATOR_TELEMETRY', subtype: 'CHECKPOINT', description: stage, data: { stage, time: this.clock.nowDate() } });
    };
    checkpoint('BATCH_BEGIN');
    const jobs: JobState[] = [];
    let succeeded = false;
    try {
      // Stage 1: connect and read manifests, all miners at once.
      checkpoint('_multi_get_miner_manifest');
      let manifestsDone = 0;
      await Promise.all(ctxs.map(async (ctx) => {
        await getManifest(ctx, run, (miner, o) => this.deps.openConnection(miner, o), (c, reason) => this.failuresByMiner.set(c.miner.hotkey, reason));
        manifestsDone++;
        this.deps.onProgress?.({ stage: 'manifests', done: manifestsDone, total: ctxs.length });
      }));
      for (const ctx of ctxs) result.manifests.set(ctx.miner.hotkey, ctx.manifest);

      // Stage 2: caps and non-peak limits.
      checkpoint('_limit_non_peak_executors_per_class');
      for (const ctx of ctxs) {
        if (!ctx.manifest) continue;
        result.limitedCounts.set(ctx.miner.hotkey, limitExecutorCounts(ctx, cfg, ev));
      }

      // Stage 3: the jobs (LLM only when enough prompt samples exist). LLM jobs are generated now (they
      // hold reserved samples); the others right before their initial request, so that generating
      // them overlaps the miners' answers and the signing threads, and payloads do not pile up.
      checkpoint('_generate_jobs');
      const llmTotal = [...result.limitedCounts.values()].reduce((acc, m) => acc + (m.get(LLM_CLASS) ?? 0), 0);
      let llmSkipReason: string | null = null;
      if (llmTotal > 0) {
        const reserved = this.deps.jobs.reserveLlm ? await this.deps.jobs.reserveLlm(llmTotal) : { ok: false as const, reason: 'no prompt sample source (trusted-miner pipeline not available)' };
        if (!reserved.ok) llmSkipReason = reserved.reason;
      }
      const planned: PlannedJob[] = [];
      for (const ctx of ctxs) {
        const counts = result.limitedCounts.get(ctx.miner.hotkey);
        if (!counts) continue;
        for (const [cls, n] of counts) {
          if (cls === LLM_CLASS && llmSkipReason !== null) {
            result.skipped.push({ minerHotkey: ctx.miner.hotkey, executorClass: cls, count: n, reason: llmSkipReason });
            continue;
          }
          for (let k = 0; k < n; k++) planned.push({ ctx, miner: ctx.miner, executorClass: cls, gen: cls === LLM_CLASS ? await this.deps.jobs.create(ctx.miner, cls) : null });
        }
      }
      const order = shuffleByMiner(planned);
      this.deps.onProgress?.({ stage: 'jobs-generated', jobs: order.length, miners: result.limitedCounts.size });

      if (order.length > 0) {
        if (order.some((p) => p.gen?.streaming)) this.streamingCert = await batchStreamingCertificate();
        // Stage 4: initial requests, accept/decline, executor readiness.
        checkpoint('_multi_send_initial_job_request');
        const maxSpin = Math.max(run.timings.minSpinUpSeconds, ...order.map((p) => run.timings.spinUpSeconds[p.executorClass]));
        const stageStart = this.clock.now();
        let initialDone = 0;
        await paced(order, async (p) => {
          const gen = p.gen ?? (await this.deps.jobs.create(p.miner, p.executorClass));
          const job: JobState = { uuid: gen.jobUuid, miner: p.miner, ctx: p.ctx, executorClass: p.executorClass, gen, obs: {}, declineReceipts: [], receipts: [], signed: [] };
          jobs.push(job);
          await runInitialStage(job, stageStart + maxSpin * 1000, maxSpin, run, this.streamingCert);
          initialDone++;
          this.deps.onProgress?.({ stage: 'initial-requests', done: initialDone, total: order.length });
        });

        const ready = jobs.filter((j) => j.obs.accept?.kind === 'accept' && j.obs.executor?.kind === 'ready' && !j.obs.response);
        // Stage 5: streaming jobs get their V0JobRequest now and report their endpoint (streaming-stage.ts).
        const streamingJobs = ready.filter((j) => j.gen.streaming);
        let streamingReady = new Map<string, StreamingTarget>();
        if (streamingJobs.length > 0) {
          checkpoint('_prepare_streaming_jobs');
          streamingReady = await prepareStreamingJobs(streamingJobs, cfg.streamingReadyTimeoutMs ?? 300_000, streamingStageDeps(run));
        }

        // Stage 6: every ready job gets its V0JobRequest, every ready streaming job its HTTPS trigger, at the same moment.
        checkpoint('_trigger_job_execution');
        const started = ready.filter((j) => !j.gen.streaming || streamingReady.has(j.uuid));
        let jobDone = 0;
        await paced(started, async (job) => {
          const target = streamingReady.get(job.uuid);
          if (target && this.streamingCert) await runStreamingJob(job, target, this.streamingCert, streamingStageDeps(run));
          else await runJobStage(job, run);
          jobDone++;
          this.deps.onProgress?.({ stage: 'job-requests', done: jobDone, total: started.length });
        });

        // Stage 7: results that live elsewhere (LLM answers files), at most 100 downloads at a time.
        checkpoint('_download_llm_prompts_answers');
        const collect = jobs.filter((j) => j.obs.response?.kind === 'finished' && j.gen.collectResult);
        await mapLimit(collect, 100, async (job) => {
          await (job.gen.collectResult as () => Promise<void>)();
          const err = (job.gen as { downloadError?: string | null }).downloadError;
          if (err) ev({ type: 'VALIDATOR_TELEMETRY', subtype: 'ERROR_DOWNLOADING_FROM_S3', description: err.slice(0, 1000), data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_download_llm_prompts_answers' } });
        });

        // Stage 8: verdicts.
        checkpoint('_score_jobs');
        const allowed = allowedExcuseValidators(input.activeValidators, cfg.minimumStakeForExcuse, run.validatorSs58, BAC_VALIDATOR_SS58_ADDRESS);
        for (const job of jobs) result.jobs.push(judgeBatchJob(job, jobs, result.limitedCounts, cfg, allowed, ev));
        this.deps.onProgress?.({ stage: 'scored' });

        // Stage 9: finished receipts, all miners and jobs concurrently (each send bounded on its own).
        checkpoint('_send_job_finished_receipts');
        const outcomes = new Map(result.jobs.map((o) => [o.jobUuid, o]));
        await paced(jobs.filter((job) => job.obs.response), (job) => sendFinishedReceipt(job, outcomes.get(job.uuid) as JobOutcome, run));
        this.deps.onProgress?.({ stage: 'receipts-sent' });
      }
      succeeded = true;
    } catch (e) {
      ev({ type: 'VALIDATOR_FAILURE', subtype: 'GENERIC_ERROR', description: `batch failed: ${(e as Error).message}`, data: { func: 'execute_synthetic_batch_run' } });
      throw e;
    } finally {
      const closing = Promise.all(ctxs.map((ctx) => (ctx.conn ? this.bounded(ctx.conn.close(), run.timings.closeMs) : Promise.resolve()))).then(() => {
        this.deps.onProgress?.({ stage: 'closed' });
      });
      result.closed = closing;
      // On failure nobody persists: close before the error goes up.
      if (!succeeded) await closing;
    }
    for (const [k, v] of this.failuresByMiner) result.minerFailures.set(k, v);
    recordBatchTelemetry(result, ctxs, jobs, this.stageStart, run.validatorSs58, ev);
    checkpoint('BATCH_END');
    return result;
  }

  private async bounded(p: Promise<unknown>, ms: number): Promise<void> {
    let cancel = (): void => undefined;
    await Promise.race([p.catch(() => undefined), new Promise<void>((resolve) => (cancel = this.clock.timer(ms, resolve)))]);
    cancel();
  }
}

