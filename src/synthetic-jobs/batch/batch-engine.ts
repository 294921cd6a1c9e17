import { randomUUID } from 'node:crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import { mapLimit } from '../../common/map-limit';
import type { Clock } from '../../config/clock';
import type { MinerConnectionApi, MinerConnectionFailure } from '../../miners/connection/types';
import {
  authBlob, authMessage, buildMessage, canonicalDatetimeFromMs, jobAcceptedPayload, jobFinishedPayload, jobStartedPayload,
  V0InitialJobRequest, V0JobAcceptedReceiptRequest, V0JobFinishedReceiptRequest, V0JobRequest,
  type ExecutorClass, type MinerToValidatorMessage, type OutputUpload, type Receipt, type SignedReceiptPayload, type ValidatorAuthForMiner, type Volume,
} from '../../protocol';
import { EXECUTOR_CLASS_SPECS } from '../../protocol/executor-class';
import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import type { StoredReceipt } from '../persistence/synthetic-job.entity';
import type { SyntheticJobGenerator } from '../generators/synthetic-job-generator';
import { allowedExcuseValidators, BAC_VALIDATOR_SS58_ADDRESS, EXCUSE_RULES, filterValidExcuseReceipts, type ActiveValidator } from '../../protocol/excuses';
import { formatG6 } from './batch-config';
import { judgeJob, type JobObservation, type Verdict } from './job-verdict';
import { receiptSignerFor, signBlobWith, signBytesWith, type ReceiptSigner, type SignBytes } from './receipt-signer';
import type { SelfSignedCertificate } from '../../common/self-signed-certificate';
import { batchStreamingCertificate, prepareStreamingJobs, runStreamingJob, streamingDetailsFor, type StreamingStageDeps } from './streaming-stage';
import type { StreamingTarget } from './streaming-trigger';

/**
 * The batch run (synthetic-jobs.md §4): every serving miner concurrently, every stage bounded by its
 * own deadline on the injected Clock. No database access inside: the caller persists the result.
 */

export interface BatchMiner {
  id: string;
  hotkey: string;
  address: string;
  port: number;
  ipVersion: number;
}

export interface BatchTimings {
  /** Connect + auth + manifest, per miner (reference 35 s). */
  manifestMs: number;
  /** Connect attempts inside the manifest window (reference 4). */
  connectRetries: number;
  acceptedReceiptSendMs: number;
  /** Extra wait for a job response beyond the job's timeout (reference 120 s; judged "took too long"). */
  jobResponseExtraMs: number;
  finishedReceiptSendMs: number;
  closeMs: number;
  minSpinUpSeconds: number;
  /** Spin-up seconds per class (reference: the executor-class table). */
  spinUpSeconds: Readonly<Record<ExecutorClass, number>>;
}

export const REFERENCE_TIMINGS: BatchTimings = {
  manifestMs: 35_000,
  connectRetries: 4,
  acceptedReceiptSendMs: 5_000,
  jobResponseExtraMs: 120_000,
  finishedReceiptSendMs: 5_000,
  closeMs: 1_000,
  minSpinUpSeconds: 2,
  spinUpSeconds: {
    'spin_up-4min.gpu-24gb': EXECUTOR_CLASS_SPECS['spin_up-4min.gpu-24gb'].spinUpTimeSeconds,
    'always_on.gpu-24gb': EXECUTOR_CLASS_SPECS['always_on.gpu-24gb'].spinUpTimeSeconds,
    'always_on.llm.a6000': EXECUTOR_CLASS_SPECS['always_on.llm.a6000'].spinUpTimeSeconds,
    'always_on.test': EXECUTOR_CLASS_SPECS['always_on.test'].spinUpTimeSeconds,
  },
};

export interface BatchEngineConfig {
  /** Hard caps per class (DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS). */
  maxPerClass: ReadonlyMap<ExecutorClass, number>;
  /** Non-peak limits; null inside the peak cycle. */
  nonPeak: null | {
    /** Online executor counts of the peak batch per miner hotkey and class; null when no peak batch. */
    peakCounts: ReadonlyMap<string, ReadonlyMap<string, number>> | null;
    ratio: number;
    missedPeakDefaults: ReadonlyMap<ExecutorClass, number>;
  };
  excusedScore: number;
  minimumStakeForExcuse: number;
  /** Per `TYPE/SUBTYPE` cap on buffered events. */
  eventLimits: ReadonlyMap<string, number>;
  rejectDuplicateExcuses: boolean;
  /** DYNAMIC_SYNTHETIC_STREAMING_JOB_READY_TIMEOUT in ms (default 300 s); streaming jobs are those whose generator has `streaming`. */
  streamingReadyTimeoutMs?: number;
}

export interface JobFactory {
  /** A job for one executor of `miner`; throws when the job cannot be generated (aborts the batch). */
  create(miner: BatchMiner, executorClass: ExecutorClass): SyntheticJobGenerator | Promise<SyntheticJobGenerator>;
  /**
   * Reserves LLM prompt samples for `count` executors; returns false when there are not enough
   * (LLM-class jobs are then skipped with `reason`).
   */
  reserveLlm?(count: number): Promise<{ ok: true } | { ok: false; reason: string }>;
}

export type BatchProgress =
  | { stage: 'manifests'; done: number; total: number }
  | { stage: 'jobs-generated'; jobs: number; miners: number }
  | { stage: 'initial-requests'; done: number; total: number }
  | { stage: 'job-requests'; done: number; total: number }
  | { stage: 'scored' }
  | { stage: 'receipts-sent' }
  | { stage: 'closed' };

export interface BatchEngineDeps {
  clock: Clock;
  pair: KeyringPair;
  /** Signs receipts' bytes with `pair` (e.g. on a worker thread); default `pair.sign`. */
  signBytes?: SignBytes;
  openConnection(miner: BatchMiner, opts: { maxRetries: number; firstAuth?: ValidatorAuthForMiner; onMessage: (m: MinerToValidatorMessage) => void; onFailure: (f: MinerConnectionFailure) => void }): MinerConnectionApi;
  jobs: JobFactory;
  timings?: Partial<BatchTimings>;
  onProgress?: (p: BatchProgress) => void;
}

export interface BatchEngineInput {
  batchBlock: number;
  miners: readonly BatchMiner[];
  activeValidators: readonly ActiveValidator[];
  config: BatchEngineConfig;
}

export interface JobOutcome {
  jobUuid: string;
  miner: BatchMiner;
  executorClass: ExecutorClass;
  description: string;
  verdict: Verdict;
  receipts: StoredReceipt[];
  /** The same receipts as signed payloads (for the receipts store). */
  signed: SignedReceiptPayload[];
  excusedBy: string[];
}

export interface SkippedJobs {
  minerHotkey: string;
  executorClass: ExecutorClass;
  count: number;
  reason: string;
}

export interface BatchEngineResult {
  batchUuid: string;
  /** Per miner hotkey: the manifest (class -> count), or null when none arrived. */
  manifests: Map<string, Record<string, number> | null>;
  /** Per miner hotkey: why it got no manifest. */
  minerFailures: Map<string, string>;
  /** Counts after caps and non-peak limits. */
  limitedCounts: Map<string, Map<ExecutorClass, number>>;
  jobs: JobOutcome[];
  skipped: SkippedJobs[];
  events: SystemEventInput[];
  /**
   * Settles when every miner connection has closed (each bounded by closeMs). The result is complete
   * before that: callers persist it meanwhile and await this before they finish.
   */
  closed: Promise<void>;
}

interface JobState {
  uuid: string;
  miner: BatchMiner;
  ctx: MinerCtx;
  executorClass: ExecutorClass;
  gen: SyntheticJobGenerator;
  obs: JobObservation;
  startedReceipt?: { timestamp: string; stored: StoredReceipt };
  declineReceipts: Receipt[];
  receipts: StoredReceipt[];
  signed: SignedReceiptPayload[];
}

interface PlannedJob {
  ctx: MinerCtx;
  miner: BatchMiner;
  executorClass: ExecutorClass;
  /** Generated ahead (LLM jobs), or null: generated when its initial request is due. */
  gen: SyntheticJobGenerator | null;
}

interface MinerCtx {
  miner: BatchMiner;
  conn?: MinerConnectionApi;
  /** First arrival time (clock ms) per `job_uuid|message_type`. */
  arrivals: Map<string, number>;
  lost: boolean;
  manifest: Record<string, number> | null;
}

const LLM_CLASS: ExecutorClass = 'always_on.llm.a6000';

export class SyntheticBatchEngine {
  private readonly t: BatchTimings;
  private readonly events: SystemEventInput[] = [];
  private readonly eventCounts = new Map<string, number>();
  private readonly batchUuid = randomUUID();
  private readonly sign: ReceiptSigner;
  private readonly signBytes: SignBytes;
  private readonly stageStart: Record<string, string> = {};
  /** The per-batch TLS client certificate, made only when the batch has streaming jobs (§4.2). */
  private streamingCert: SelfSignedCertificate | null = null;
  /** The pair's SS58 address, encoded once (the getter re-encodes with a checksum on every call). */
  private readonly validatorSs58: string;

  constructor(private readonly deps: BatchEngineDeps) {
    this.signBytes = deps.signBytes ?? signBytesWith(deps.pair);
    this.sign = receiptSignerFor(this.signBytes);
    this.validatorSs58 = deps.pair.address;
    this.t = { ...REFERENCE_TIMINGS, ...deps.timings, spinUpSeconds: { ...REFERENCE_TIMINGS.spinUpSeconds, ...deps.timings?.spinUpSeconds } };
  }

  private get clock(): Clock {
    return this.deps.clock;
  }

  private event(limitKeyLimits: ReadonlyMap<string, number>, e: SystemEventInput): void {
    const key = `${e.type}/${e.subtype}`;
    const limit = limitKeyLimits.get(key);
    const n = this.eventCounts.get(key) ?? 0;
    if (limit !== undefined && n >= limit) return;
    this.eventCounts.set(key, n + 1);
    this.events.push({ ...e, data: { batch_uuid: this.batchUuid, ...(e.description ? { description: e.description } : {}), ...e.data } });
  }

  async run(input: BatchEngineInput): Promise<BatchEngineResult> {
    const cfg = input.config;
    const ev = (e: SystemEventInput) => this.event(cfg.eventLimits, e);
    const result: BatchEngineResult = {
      batchUuid: this.batchUuid, manifests: new Map(), minerFailures: new Map(), limitedCounts: new Map(), jobs: [], skipped: [], events: this.events,
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
        await this.getManifest(ctx, ev);
        manifestsDone++;
        this.deps.onProgress?.({ stage: 'manifests', done: manifestsDone, total: ctxs.length });
      }));
      for (const ctx of ctxs) result.manifests.set(ctx.miner.hotkey, ctx.manifest);

      // Stage 2: caps and non-peak limits.
      checkpoint('_limit_non_peak_executors_per_class');
      for (const ctx of ctxs) {
        if (!ctx.manifest) continue;
        result.limitedCounts.set(ctx.miner.hotkey, this.limitCounts(ctx, cfg, ev));
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
        const maxSpin = Math.max(this.t.minSpinUpSeconds, ...order.map((p) => this.t.spinUpSeconds[p.executorClass]));
        const stageStart = this.clock.now();
        let initialDone = 0;
        await paced(order, async (p) => {
          const gen = p.gen ?? (await this.deps.jobs.create(p.miner, p.executorClass));
          const job: JobState = { uuid: gen.jobUuid, miner: p.miner, ctx: p.ctx, executorClass: p.executorClass, gen, obs: {}, declineReceipts: [], receipts: [], signed: [] };
          jobs.push(job);
          await this.initialStage(job, stageStart + maxSpin * 1000, maxSpin, ev);
          initialDone++;
          this.deps.onProgress?.({ stage: 'initial-requests', done: initialDone, total: order.length });
        });

        const ready = jobs.filter((j) => j.obs.accept?.kind === 'accept' && j.obs.executor?.kind === 'ready' && !j.obs.response);
        // Stage 5: streaming jobs get their V0JobRequest now and report their endpoint (streaming-stage.ts).
        const streamingJobs = ready.filter((j) => j.gen.streaming);
        let streamingReady = new Map<string, StreamingTarget>();
        if (streamingJobs.length > 0) {
          checkpoint('_prepare_streaming_jobs');
          streamingReady = await prepareStreamingJobs(streamingJobs, cfg.streamingReadyTimeoutMs ?? 300_000, this.streamingDeps(ev));
        }

        // Stage 6: every ready job gets its V0JobRequest, every ready streaming job its HTTPS trigger, at the same moment.
        checkpoint('_trigger_job_execution');
        const started = ready.filter((j) => !j.gen.streaming || streamingReady.has(j.uuid));
        let jobDone = 0;
        await paced(started, async (job) => {
          const target = streamingReady.get(job.uuid);
          if (target && this.streamingCert) await runStreamingJob(job, target, this.streamingCert, this.streamingDeps(ev));
          else await this.jobStage(job, ev);
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
        const allowed = allowedExcuseValidators(input.activeValidators, cfg.minimumStakeForExcuse, this.validatorSs58, BAC_VALIDATOR_SS58_ADDRESS);
        for (const job of jobs) result.jobs.push(this.judge(job, jobs, result, cfg, allowed, ev));
        this.deps.onProgress?.({ stage: 'scored' });

        // Stage 9: finished receipts, all miners and jobs concurrently (each send bounded on its own).
        checkpoint('_send_job_finished_receipts');
        const outcomes = new Map(result.jobs.map((o) => [o.jobUuid, o]));
        await paced(jobs.filter((job) => job.obs.response), (job) => this.sendFinishedReceipt(job, outcomes.get(job.uuid) as JobOutcome, ev));
        this.deps.onProgress?.({ stage: 'receipts-sent' });
      }
      succeeded = true;
    } catch (e) {
      ev({ type: 'VALIDATOR_FAILURE', subtype: 'GENERIC_ERROR', description: `batch failed: ${(e as Error).message}`, data: { func: 'execute_synthetic_batch_run' } });
      throw e;
    } finally {
      const closing = Promise.all(ctxs.map((ctx) => (ctx.conn ? this.bounded(ctx.conn.close(), this.t.closeMs) : Promise.resolve()))).then(() => {
        this.deps.onProgress?.({ stage: 'closed' });
      });
      result.closed = closing;
      // On failure nobody persists: close before the error goes up.
      if (!succeeded) await closing;
    }
    this.telemetry(result, ctxs, jobs, ev);
    checkpoint('BATCH_END');
    return result;
  }

  private async getManifest(ctx: MinerCtx, ev: (e: SystemEventInput) => void): Promise<void> {
    const deadline = this.clock.now() + this.t.manifestMs;
    const hotkey = ctx.miner.hotkey;
    // Signed like the receipts (off the event loop when signBytes is a pool); reconnects sign afresh.
    const timestamp = Math.floor(this.clock.now() / 1000);
    const authSignature = await signBlobWith(this.signBytes, authBlob(this.validatorSs58, hotkey, timestamp));
    const conn = this.deps.openConnection(ctx.miner, {
      maxRetries: this.t.connectRetries,
      firstAuth: authMessage(this.validatorSs58, hotkey, timestamp, authSignature),
      onMessage: (m) => {
        const uuid = (m as { job_uuid?: unknown }).job_uuid;
        if (typeof uuid === 'string') {
          const key = `${uuid}|${m.message_type}`;
          if (!ctx.arrivals.has(key)) ctx.arrivals.set(key, this.clock.now());
        } else if (m.message_type === 'GenericError' || m.message_type === 'UnauthorizedError') {
          const details = m.message_type === 'GenericError' ? (m as { details?: string | null }).details ?? '' : `${(m as { code?: string }).code ?? ''}`;
          const unauthorized = m.message_type === 'UnauthorizedError' || /^(unknown|inactive) validator/i.test(details) || /not authenticated/i.test(details);
          ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: unauthorized ? 'UNAUTHORIZED' : 'GENERIC_ERROR', description: `miner error: ${details}`.slice(0, 1000), data: { miner_hotkey: hotkey } });
        }
      },
      onFailure: (f) => {
        if (f.kind === 'closed') ctx.lost = true;
        if (f.kind === 'unparseable') {
          ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'GENERIC_ERROR', description: `malformed message from miner: ${f.reason}`.slice(0, 1000), data: { miner_hotkey: hotkey } });
        }
      },
    });
    ctx.conn = conn;
    const connected = await conn.connect({ timeoutMs: Math.max(0, deadline - this.clock.now()) });
    if (!connected.ok) {
      ctx.lost = true;
      this.minerFailure(ctx, `could not connect: ${connected.failure.reason}`);
      ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'MINER_CONNECTION_ERROR', description: connected.failure.reason, data: { miner_hotkey: hotkey, func: 'connect' } });
      return;
    }
    const got = await conn.waitFor('V0ExecutorManifestRequest', { timeoutMs: Math.max(0, deadline - this.clock.now()), interrupt: [] });
    if (!got.ok) {
      const timeout = got.failure.kind === 'timeout';
      this.minerFailure(ctx, timeout ? 'no manifest in time' : `manifest error: ${got.failure.reason}`);
      ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: timeout ? 'MANIFEST_TIMEOUT' : 'MANIFEST_ERROR', description: got.failure.reason, data: { miner_hotkey: hotkey, func: '_get_miner_manifest' } });
      return;
    }
    const manifest: Record<string, number> = {};
    for (const [cls, n] of Object.entries(got.message.manifest)) if (typeof n === 'number' && n > 0) manifest[cls] = n;
    ctx.manifest = manifest;
  }

  private failuresByMiner = new Map<string, string>();
  private minerFailure(ctx: MinerCtx, reason: string): void {
    this.failuresByMiner.set(ctx.miner.hotkey, reason);
  }

  private limitCounts(ctx: MinerCtx, cfg: BatchEngineConfig, ev: (e: SystemEventInput) => void): Map<ExecutorClass, number> {
    const out = new Map<ExecutorClass, number>();
    for (const [clsName, reported] of Object.entries(ctx.manifest ?? {})) {
      const cls = clsName as ExecutorClass;
      let n = reported;
      const cap = cfg.maxPerClass.get(cls);
      if (cap !== undefined && n > cap) {
        ev({ type: 'MINER_EXECUTOR_COUNT_CLIPPED', subtype: 'WARNING', description: 'executor count clipped', data: { miner_hotkey: ctx.miner.hotkey, executor_class: cls, allowed_count: cap, miner_reported_count: n } });
        n = cap;
      }
      if (cfg.nonPeak) {
        const peak = cfg.nonPeak.peakCounts?.get(ctx.miner.hotkey)?.get(cls);
        const allowed = peak !== undefined ? Math.max(Math.ceil(peak * cfg.nonPeak.ratio), 1) : cfg.nonPeak.missedPeakDefaults.get(cls) ?? 1;
        if (n > allowed) {
          ev({ type: 'MINER_EXECUTOR_COUNT_CLIPPED', subtype: 'WARNING', description: 'non-peak executor count clipped', data: { miner_hotkey: ctx.miner.hotkey, executor_class: cls, allowed_count: allowed, miner_reported_count: n } });
          n = allowed;
        }
      }
      if (n > 0) out.set(cls, n);
    }
    return out;
  }

  private async initialStage(job: JobState, deadline: number, maxSpin: number, ev: (e: SystemEventInput) => void): Promise<void> {
    const conn = job.ctx.conn;
    if (!conn) return;
    const ownSpin = Math.max(this.t.minSpinUpSeconds, this.t.spinUpSeconds[job.executorClass]);
    const remaining = () => Math.max(0, deadline - this.clock.now());
    const timeoutEvent = (what: string) =>
      ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'JOB_EXECUTION_TIMEOUT', description: `_send_initial_job_request: ${what}`, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_send_initial_job_request' } });
    if (maxSpin > ownSpin) await this.clock.sleep((maxSpin - ownSpin) * 1000);

    const timestamp = canonicalDatetimeFromMs(this.clock.now());
    const ttl = Math.min(300, Math.max(5, ownSpin + job.gen.timeoutSeconds + 5));
    const started = await this.sign(jobStartedPayload({
      job_uuid: job.uuid, miner_hotkey: job.miner.hotkey, validator_hotkey: this.validatorSs58, timestamp, executor_class: job.executorClass, is_organic: false, ttl,
    }));
    const stored: StoredReceipt = { receiptType: 'JobStartedReceipt', blob: started.blob, validatorSignature: started.signature, sent: false };
    job.startedReceipt = { timestamp, stored };
    job.receipts.push(stored);
    job.signed.push(started);
    const initial = buildMessage(V0InitialJobRequest, {
      job_uuid: job.uuid,
      executor_class: job.executorClass,
      docker_image: job.gen.baseDockerImage,
      timeout_seconds: job.gen.timeoutSeconds,
      // Plain JSON volumes: serialised as is (protocol/serialize.ts).
      volume: job.gen.volumeInInitialRequest ? (job.gen.volume as unknown as Volume) : null,
      job_started_receipt_payload: started.payload,
      job_started_receipt_signature: started.signature,
      streaming_details: job.gen.streaming && this.streamingCert ? streamingDetailsFor(this.streamingCert) : null,
      executor_timing: null,
    });
    const sent = await conn.send(initial, { timeoutMs: remaining() });
    if (job.gen.volumeInInitialRequest) job.gen.volume = null;
    if (!sent.ok) {
      timeoutEvent(sent.failure.reason);
      return;
    }
    stored.sent = true;
    const accept = await conn.waitFor(['V0AcceptJobRequest', 'V0DeclineJobRequest'], { jobUuid: job.uuid, timeoutMs: remaining(), interrupt: [] });
    if (!accept.ok) {
      this.noteLost(job);
      timeoutEvent(accept.failure.kind === 'timeout' ? 'TimeoutError()' : accept.failure.reason);
      return;
    }
    const acceptedAt = job.ctx.arrivals.get(`${job.uuid}|${accept.message.message_type}`) ?? this.clock.now();
    if (accept.message.message_type === 'V0DeclineJobRequest') {
      job.obs.accept = { kind: 'decline', reason: accept.message.reason, atMs: acceptedAt };
      job.declineReceipts = accept.message.receipts ?? [];
      return;
    }
    job.obs.accept = { kind: 'accept', atMs: acceptedAt };
    const acceptedReceipt = await this.sign(jobAcceptedPayload({
      job_uuid: job.uuid, miner_hotkey: job.miner.hotkey, validator_hotkey: this.validatorSs58,
      timestamp: canonicalDatetimeFromMs(this.clock.now()), time_accepted: canonicalDatetimeFromMs(acceptedAt), ttl: 360,
    }));
    const acceptedStored: StoredReceipt = { receiptType: 'JobAcceptedReceipt', blob: acceptedReceipt.blob, validatorSignature: acceptedReceipt.signature, sent: false };
    job.receipts.push(acceptedStored);
    job.signed.push(acceptedReceipt);
    const receiptSent = await conn.send(buildMessage(V0JobAcceptedReceiptRequest, { payload: acceptedReceipt.payload, signature: acceptedReceipt.signature }), {
      timeoutMs: Math.min(this.t.acceptedReceiptSendMs, remaining()),
    });
    if (receiptSent.ok) acceptedStored.sent = true;
    else ev({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_SEND_ERROR', description: receiptSent.failure.reason, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_handle_job_accepted' } });
    const executor = await conn.waitFor(['V0ExecutorReadyRequest', 'V0ExecutorFailedRequest', 'V0HordeFailedRequest'], { jobUuid: job.uuid, timeoutMs: remaining(), interrupt: [] });
    if (!executor.ok) {
      this.noteLost(job);
      timeoutEvent(executor.failure.kind === 'timeout' ? 'TimeoutError()' : executor.failure.reason);
      return;
    }
    const at = job.ctx.arrivals.get(`${job.uuid}|${executor.message.message_type}`) ?? this.clock.now();
    // V0HordeFailedRequest (executor_spinup_failed) is how current miners report a failed executor.
    job.obs.executor = { kind: executor.message.message_type === 'V0ExecutorReadyRequest' ? 'ready' : 'failed', atMs: at };
  }

  private async jobStage(job: JobState, ev: (e: SystemEventInput) => void): Promise<void> {
    const deadline = this.clock.now() + job.gen.timeoutSeconds * 1000 + this.t.jobResponseExtraMs;
    if (await this.sendJobRequest(job, deadline, ev)) await this.awaitJobResponse(job, deadline, ev);
  }

  private streamingDeps(ev: (e: SystemEventInput) => void): StreamingStageDeps<JobState> {
    return {
      clock: this.clock,
      sendJobRequest: (job, deadline) => this.sendJobRequest(job, deadline, ev),
      awaitJobResponse: (job, deadline) => this.awaitJobResponse(job, deadline, ev),
      noteLost: (job) => this.noteLost(job),
    };
  }

  private jobTimeoutEvent(job: JobState, ev: (e: SystemEventInput) => void, what: string): void {
    ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'JOB_EXECUTION_TIMEOUT', description: `_trigger_job_execution: ${what}`, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_trigger_job_execution' } });
  }

  /** Sends V0JobRequest (stage 6; stage 5 for streaming jobs); false when it could not be sent (recorded). */
  private async sendJobRequest(job: JobState, deadline: number, ev: (e: SystemEventInput) => void): Promise<boolean> {
    const conn = job.ctx.conn as MinerConnectionApi;
    const g = job.gen;
    const request = buildMessage(V0JobRequest, {
      job_uuid: job.uuid,
      executor_class: job.executorClass,
      docker_image: g.dockerImage,
      raw_script: g.rawScript,
      docker_run_options_preset: g.dockerRunOptionsPreset,
      docker_run_cmd: g.dockerRunCmd,
      env: {},
      volume: g.volumeInInitialRequest ? null : (g.volume as unknown as Volume | null),
      output_upload: g.outputUpload as unknown as OutputUpload | null,
      artifacts_dir: null,
    });
    job.obs.jobSentAtMs = this.clock.now();
    const sent = await conn.send(request, { timeoutMs: Math.max(0, deadline - this.clock.now()) });
    g.volume = null;
    if (!sent.ok) {
      this.noteLost(job);
      this.jobTimeoutEvent(job, ev, sent.failure.reason);
      return false;
    }
    return true;
  }

  /** Waits for the job response until `deadline` and records it (or the timeout). */
  private async awaitJobResponse(job: JobState, deadline: number, ev: (e: SystemEventInput) => void): Promise<void> {
    const conn = job.ctx.conn as MinerConnectionApi;
    const response = await conn.waitFor(['V0JobFinishedRequest', 'V0JobFailedRequest', 'V0HordeFailedRequest'], { jobUuid: job.uuid, timeoutMs: Math.max(0, deadline - this.clock.now()), interrupt: [] });
    if (!response.ok) {
      this.noteLost(job);
      this.jobTimeoutEvent(job, ev, response.failure.kind === 'timeout' ? 'TimeoutError()' : response.failure.reason);
      return;
    }
    const m = response.message;
    const atMs = job.ctx.arrivals.get(`${job.uuid}|${m.message_type}`) ?? this.clock.now();
    const rawMessage = JSON.stringify(m).slice(0, 2000);
    if (m.message_type === 'V0JobFinishedRequest') job.obs.response = { kind: 'finished', atMs, stdout: m.docker_process_stdout, rawMessage };
    else job.obs.response = { kind: 'failed', atMs, exitStatus: m.message_type === 'V0JobFailedRequest' ? m.docker_process_exit_status ?? null : null, rawMessage };
  }

  private noteLost(job: JobState): void {
    if (job.ctx.lost || job.ctx.conn?.state === 'closed') job.obs.connectionLost = true;
  }

  private judge(job: JobState, all: JobState[], result: BatchEngineResult, cfg: BatchEngineConfig, allowed: Set<string>, ev: (e: SystemEventInput) => void): JobOutcome {
    let excuse: { validExcuses: number; acceptedSameClass: number; expected: number } | undefined;
    let excusedBy: string[] = [];
    if (job.obs.accept?.kind === 'decline' && job.obs.accept.reason === 'busy' && job.startedReceipt) {
      const valid = filterValidExcuseReceipts(job.declineReceipts, {
        checkTime: job.startedReceipt.timestamp, declinedJobUuid: job.uuid, minerHotkey: job.miner.hotkey, executorClass: job.executorClass,
        allowedValidators: allowed, ...EXCUSE_RULES.synthetic, rejectDuplicates: cfg.rejectDuplicateExcuses,
      });
      excusedBy = [...new Set(valid.map((r) => r.payload.validator_hotkey))];
      excuse = {
        validExcuses: valid.length,
        acceptedSameClass: all.filter((o) => o.miner.hotkey === job.miner.hotkey && o.executorClass === job.executorClass && o.obs.accept?.kind === 'accept').length,
        expected: result.limitedCounts.get(job.miner.hotkey)?.get(job.executorClass) ?? 0,
      };
    }
    let verdict: Verdict;
    try {
      verdict = judgeJob({
        job: job.obs, excuse, excusedScore: cfg.excusedScore, verifyTime: (s) => job.gen.verifyTime(s),
        verifyCorrectness: () => {
          const r = job.obs.response;
          return r?.kind === 'finished' ? job.gen.verifyCorrectness({ stdout: r.stdout, rawMessage: r.rawMessage }) : { correct: false, comment: 'no result' };
        },
      });
    } catch (e) {
      ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'MINER_SCORING_ERROR', description: (e as Error).message, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid } });
      verdict = { status: 'FAILED', score: 0, success: false, excused: false, correct: null, comment: `scoring error: ${(e as Error).message}`, failureKind: 'NOT_SCORED', timeTookSeconds: null, event: null };
    }
    if (verdict.event) {
      const success = verdict.event === 'SUCCESS';
      ev({
        type: success ? 'MINER_SYNTHETIC_JOB_SUCCESS' : 'MINER_SYNTHETIC_JOB_FAILURE',
        subtype: verdict.event,
        description: verdict.event === 'JOB_EXCUSED' ? 'excused' : verdict.event === 'JOB_REJECTED' ? 'declined' : verdict.comment.slice(0, 1000),
        data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, executor_class: job.executorClass, ...(verdict.event === 'JOB_EXCUSED' ? { excused_by: excusedBy } : {}) },
      });
    }
    if (job.executorClass === LLM_CLASS && verdict.failureKind === 'WRONG_ANSWER') {
      ev({
        type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'LLM_PROMPT_ANSWERS_MISSING', description: verdict.comment,
        data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, answers_url: (job.gen as { answersUrl?: string }).answersUrl ?? null },
      });
    }
    return { jobUuid: job.uuid, miner: job.miner, executorClass: job.executorClass, description: job.gen.description, verdict, receipts: job.receipts, signed: job.signed, excusedBy };
  }

  private async sendFinishedReceipt(job: JobState, outcome: JobOutcome, ev: (e: SystemEventInput) => void): Promise<void> {
    const conn = job.ctx.conn as MinerConnectionApi;
    const r = job.obs.response;
    const sentAt = job.obs.jobSentAtMs;
    if (!r || sentAt === undefined) {
      ev({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_SEND_ERROR', description: 'job response arrived before the job request: no time_started', data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_send_job_finished_receipts' } });
      return;
    }
    const tookUs = Math.max(0, Math.trunc((r.atMs - sentAt) * 1000));
    const receipt = await this.sign(jobFinishedPayload({
      job_uuid: job.uuid, miner_hotkey: job.miner.hotkey, validator_hotkey: this.validatorSs58, timestamp: canonicalDatetimeFromMs(this.clock.now()),
      time_started: canonicalDatetimeFromMs(sentAt), time_took_us: tookUs, score_str: formatG6(outcome.verdict.score),
    }));
    const stored: StoredReceipt = { receiptType: 'JobFinishedReceipt', blob: receipt.blob, validatorSignature: receipt.signature, sent: false };
    job.receipts.push(stored);
    job.signed.push(receipt);
    const sent = await conn.send(buildMessage(V0JobFinishedReceiptRequest, { payload: receipt.payload, signature: receipt.signature }), { timeoutMs: this.t.finishedReceiptSendMs });
    if (sent.ok) stored.sent = true;
    else ev({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_SEND_ERROR', description: sent.failure.reason, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_send_job_finished_receipts' } });
  }

  private telemetry(result: BatchEngineResult, ctxs: MinerCtx[], jobs: JobState[], ev: (e: SystemEventInput) => void): void {
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const outcomes = new Map(result.jobs.map((o) => [o.jobUuid, o]));
    for (const job of jobs) {
      const o = outcomes.get(job.uuid);
      if (!o) continue;
      const r = job.obs.response;
      ev({
        type: 'VALIDATOR_TELEMETRY', subtype: 'SYNTHETIC_JOB', description: 'job telemetry',
        data: {
          job_uuid: job.uuid, miner_hotkey: job.miner.hotkey, validator_hotkey: this.validatorSs58, executor_class: job.executorClass,
          base_docker_image_name: job.gen.baseDockerImage, docker_image_name: job.gen.dockerImage, docker_run_options_preset: job.gen.dockerRunOptionsPreset,
          timeout_seconds: job.gen.timeoutSeconds,
          accept_response: job.obs.accept ? (job.obs.accept.kind === 'accept' ? 'V0AcceptJobRequest' : `V0DeclineJobRequest(${job.obs.accept.reason})`) : null,
          accept_response_time: iso(job.obs.accept?.atMs),
          executor_response: job.obs.executor ? (job.obs.executor.kind === 'ready' ? 'V0ExecutorReadyRequest' : 'executor failed') : null,
          executor_response_time: iso(job.obs.executor?.atMs),
          ...(job.gen.streaming ? { streaming_response: job.obs.streaming?.kind ?? null, streaming_processing_time: job.gen.streaming.processingSeconds } : {}),
          job_before_sent_time: iso(job.obs.jobSentAtMs),
          job_response: r ? (r.kind === 'finished' ? 'V0JobFinishedRequest' : 'V0JobFailedRequest') : null,
          job_response_time: iso(r?.atMs),
          job_execution_time: o.verdict.timeTookSeconds,
          success: o.verdict.success, correct: o.verdict.correct, comment: o.verdict.comment, score: o.verdict.score,
        },
      });
    }
    for (const [k, v] of this.failuresByMiner) result.minerFailures.set(k, v);
    const count = (jobs: JobOutcome[]) => ({
      total: jobs.length,
      failed: jobs.filter((j) => !j.verdict.success && !j.verdict.excused).length,
      successful: jobs.filter((j) => j.verdict.success).length,
      excused: jobs.filter((j) => j.verdict.excused).length,
      correct: jobs.filter((j) => j.verdict.correct === true).length,
      incorrect: jobs.filter((j) => j.verdict.correct === false).length,
    });
    const counts: Record<string, unknown> = {
      miners: ctxs.length,
      manifests: ctxs.filter((c) => c.manifest).length,
      jobs: count(result.jobs),
    };
    for (const cls of new Set(result.jobs.map((j) => j.executorClass))) counts[`jobs:${cls}`] = count(result.jobs.filter((j) => j.executorClass === cls));
    ev({
      type: 'VALIDATOR_TELEMETRY', subtype: 'SYNTHETIC_BATCH', description: 'batch telemetry',
      data: { validator_hotkey: this.validatorSs58, stage_start_time: this.stageStart, counts, manifests: Object.fromEntries(result.manifests) },
    });
  }

  private async bounded(p: Promise<unknown>, ms: number): Promise<void> {
    let cancel = (): void => undefined;
    await Promise.race([p.catch(() => undefined), new Promise<void>((resolve) => (cancel = this.clock.timer(ms, resolve)))]);
    cancel();
  }
}

/**
 * Starts `fn` for every item (all run concurrently), yielding to the event loop after every 64 starts:
 * each start signs and sends synchronously, so without yielding no frame would leave (and no answer be
 * read) until thousands of jobs had been signed.
 */
async function paced<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  const running: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    running.push(fn(items[i]));
    if (i % 64 === 63) await new Promise<void>((r) => setImmediate(r));
  }
  await Promise.all(running);
}

/**
 * Miners in random order, each miner's jobs in random order and together: the stages start jobs in
 * this order, 64 per turn of the event loop, so one miner's frames of a turn leave in one write.
 */
function shuffleByMiner<T extends { miner: { hotkey: string } }>(jobs: readonly T[]): T[] {
  const byMiner = new Map<string, T[]>();
  for (const job of jobs) {
    const list = byMiner.get(job.miner.hotkey);
    if (list) list.push(job);
    else byMiner.set(job.miner.hotkey, [job]);
  }
  return shuffle([...byMiner.values()]).flatMap((list) => shuffle(list));
}

/** Fisher-Yates with Math.random: order does not affect verdicts, it only avoids systemic bias. */
function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
