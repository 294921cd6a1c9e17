import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { timingsFromEnv } from '../batch/devnet-timings';
import { DataSource } from 'typeorm';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { StaticValidatorHotkey, ValidatorHotkey } from '../../chain/validator-hotkey';
import { withFastSigning } from '../../protocol/facilitator';
import { Sr25519SigningPool } from '../../chain/signing/sr25519-signing-pool';
import { toJsonData, type SystemEventInput } from '../../observability/system-events/system-events.service';
import { LiveFeedService } from '../../observability/live/live-feed.service';
import type { MinerConnectionApi, MinerConnectionOptions } from '../../miners/connection/types';
import type { ExecutorClass } from '../../protocol/executor-class';
import { isInPeakCycle, peakCycle } from '../calendar/chain-time';
import { SyntheticJobBatch } from '../persistence/synthetic-job-batch.entity';
import { parseClassIntMap, parseEventLimits, parseExecutorClassList } from '../batch/batch-config';
import { SyntheticBatchEngine, type BatchEngineConfig, type BatchEngineResult, type BatchMiner, type BatchProgress, type BatchTimings, type JobFactory } from '../batch/batch-engine';
import type { ActiveValidator } from '../../protocol/excuses';
import { createHashcatJob } from '../generators/hashcat/hashcat-generator';
import { parseHashcatDifficulty } from '../generators/hashcat/hashcat-params';
import { SyntheticMinersService } from './synthetic-miners.service';
import { S3Service } from '../../s3/s3.service';
import { ReceiptsService } from '../../receipts/receipts.service';
import { downloadFileContent } from '../../s3/s3-http';
import { LlmSamplesService, type LlmSample } from '../trusted-miner/llm-samples.service';
import { createLlmPromptsJob } from '../generators/llm/llm-prompts-generator';
import { SyntheticJobsMetrics } from '../synthetic-jobs.metrics';

/** Once per 24 h (synthetic-jobs.md §4.6). */
const INSUFFICIENT_PROMPTS_EVERY_MS = 24 * 3600 * 1000;

/** Builds the WebSocket client of one miner (default: MinerConnection of src/miners/connection). */
export { MINER_CONNECTION_FACTORY, type MinerConnectionFactory } from '../../miners/connection/factory';
import { MINER_CONNECTION_FACTORY, type MinerConnectionFactory } from '../../miners/connection/factory';

/** Optional overrides of a run (commands, tests, bench). */
export interface RunBatchOptions {
  /** Default: the serving miners (or DEBUG_MINER_* overrides). */
  miners?: BatchMiner[];
  /** Default: the active validators of the metagraph (empty with the debug override). */
  activeValidators?: ActiveValidator[];
  timings?: Partial<BatchTimings>;
  onProgress?: (p: BatchProgress) => void;
}

export interface BatchReportRow {
  minerHotkey: string;
  executorClass: string;
  sent: number;
  completed: number;
  excused: number;
  failed: number;
  /** failure kind -> count, e.g. { TIMED_OUT: 1 }; or the reason no job was sent. */
  reasons: Record<string, number>;
}

export interface BatchReport {
  batchId: string;
  block: number;
  miners: number;
  jobs: number;
  rows: BatchReportRow[];
  wallMs: number;
  /** Time spent writing jobs, manifests and events after the miners were done. */
  persistMs?: number;
}

/** Runs one SyntheticJobBatch row against the miners and persists its jobs, manifests and events. */
@Injectable()
export class SyntheticBatchRunnerService implements OnModuleDestroy {
  private readonly logger = new Logger('SyntheticBatchRunner');
  /** Receipt-signing threads, started once per process (loading wasm costs ~0.3 s of CPU per thread). */
  private pool: Sr25519SigningPool | null | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly hotkey: ValidatorHotkey,
    private readonly minersService: SyntheticMinersService,
    @Optional() @Inject(MINER_CONNECTION_FACTORY) private readonly connectionFactory?: MinerConnectionFactory,
    @Optional() private readonly llmSamples?: LlmSamplesService,
    @Optional() private readonly s3?: S3Service,
    @Optional() private readonly receiptsStore?: ReceiptsService,
    @Optional() private readonly live?: LiveFeedService,
    @Optional() private readonly metrics?: SyntheticJobsMetrics,
  ) {}

  /**
   * Starts the receipt-signing threads ahead of the first batch; harmless to call again. Without a
   * usable hotkey it does nothing (the batch then reports the hotkey problem).
   */
  async warmUp(): Promise<void> {
    try {
      await cryptoWaitReady();
      await this.signingPool()?.whenStarted();
    } catch (e) {
      this.logger.warn({ err: e }, 'receipt-signing threads not started; receipts will be signed on the main thread');
    }
  }

  /** Signatures made on the signing threads and on the main thread since start (diagnostics, bench). */
  signingCounts(): { onWorkers: number; here: number } | null {
    return this.pool ? { ...this.pool.counts } : null;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
  }

  private signingPool(): Sr25519SigningPool | null {
    if (this.pool === undefined) {
      this.pool = Sr25519SigningPool.forPair(this.hotkey.pair, {
        onWorkerLost: (reason) => this.logger.warn(`a receipt-signing thread stopped (${reason}); its receipts are signed on the main thread`),
      });
    }
    return this.pool;
  }

  /** Creates (or reuses) the batch row for `block` without scheduling semantics (debug runs). */
  async createBatch(block: number, opts: { shouldBeScored: boolean; failIfExists?: boolean }): Promise<SyntheticJobBatch> {
    const { cycleContaining } = await import('../calendar/chain-time');
    const c = cycleContaining(block, this.config.chain.BITTENSOR_NETUID);
    await this.dataSource.query(`INSERT INTO cycle (start, stop) VALUES ($1, $2) ON CONFLICT (start, stop) DO NOTHING`, [c.start, c.stop]);
    const [{ id: cycleId }] = (await this.dataSource.query(`SELECT id FROM cycle WHERE start = $1 AND stop = $2`, [c.start, c.stop])) as { id: string }[];
    const inserted = (await this.dataSource.query(
      `INSERT INTO synthetic_job_batch (block, cycle_id, should_be_scored) VALUES ($1, $2, $3) ON CONFLICT (block) DO NOTHING RETURNING id`,
      [block, cycleId, opts.shouldBeScored],
    )) as unknown[];
    const rows = Array.isArray(inserted[0]) ? (inserted[0] as unknown[]) : inserted;
    // One batch per block (unique): the reference's debug command fails the same way in the same block.
    if (rows.length === 0 && opts.failIfExists) throw new Error(`a synthetic batch for block ${block} already exists; run again after the next block`);
    return (await this.dataSource.getRepository(SyntheticJobBatch).findOne({ where: { block: BigInt(block) as unknown as bigint } })) as SyntheticJobBatch;
  }

  async runBatch(batchId: string, opts: RunBatchOptions = {}): Promise<BatchReport> {
    const started = this.clock.now();
    const batch = await this.dataSource.getRepository(SyntheticJobBatch).findOne({ where: { id: batchId } });
    if (!batch) throw new Error(`synthetic job batch ${batchId} does not exist`);
    const miners = opts.miners ?? (await this.minersService.servingMiners());
    if (miners.length === 0) {
      this.logger.warn({ batchId }, 'no serving miners: nothing to run');
      // A complete (empty) result: the batch's cycle is scored from organic jobs alone.
      await this.dataSource.query(`UPDATE synthetic_job_batch SET accepting_results_until = $2 WHERE id = $1`, [batch.id, this.clock.nowDate()]);
      const empty = { batchId, block: Number(batch.block), miners: 0, jobs: 0, rows: [], wallMs: this.clock.now() - started };
      this.metrics?.batchFinished(empty);
      return empty;
    }
    const activeValidators = opts.activeValidators ?? (await this.minersService.activeValidators());
    const engineConfig = await this.engineConfig(batch);
    const llmUses: { sampleId: string; syntheticJobUuid: string }[] = [];
    const jobFactory = await this.jobFactory(llmUses);
    const factory = this.connectionFactory ?? defaultConnectionFactory;
    await cryptoWaitReady(); // wasm sr25519 for the fast signer and the signing pool
    const pair = withFastSigning(this.hotkey.pair);
    const signingHotkey = new StaticValidatorHotkey(pair);
    // Receipts are signed on worker threads (thousands per batch); the pool falls back to this thread.
    const pool = this.signingPool();
    const engine = new SyntheticBatchEngine({
      clock: this.clock,
      pair,
      signBytes: pool ? (m) => pool.sign(m) : undefined,
      jobs: jobFactory,
      timings: opts.timings ?? timingsFromEnv(this.config.jobs.DEBUG_SYNTHETIC_TIMINGS),
      onProgress: opts.onProgress,
      openConnection: (miner, o) =>
        factory({
          minerHotkey: miner.hotkey, address: miner.address, port: miner.port, validatorHotkey: signingHotkey, clock: this.clock,
          maxRetries: o.maxRetries, firstAuth: o.firstAuth, onMessage: o.onMessage, onFailure: o.onFailure,
        }),
    });
    let result: BatchEngineResult;
    try {
      result = await engine.run({ batchBlock: Number(batch.block), miners, activeValidators, config: engineConfig });
    } catch (e) {
      this.metrics?.batchFailed();
      await this.insertEvents([{ type: 'VALIDATOR_FAILURE', subtype: 'GENERIC_ERROR', description: `synthetic batch ${batchId} failed: ${(e as Error).message}`, data: { func: 'execute_synthetic_batch_run', batch_id: batchId } }]);
      await this.markInterrupted(batchId, `the batch run failed: ${(e as Error).message}`);
      throw e;
    }
    const persistStart = this.clock.now();
    try {
      await this.persist(batch, result);
    } catch (e) {
      await this.markInterrupted(batchId, `the batch results could not be stored: ${(e as Error).message}`);
      throw e;
    } finally {
      await result.closed;
    }
    const persistMs = this.clock.now() - persistStart;
    // The operators' live feed gets each job's final status once it is stored.
    for (const j of result.jobs) {
      this.live?.publishJobStatus({
        jobKind: 'synthetic', jobUuid: j.jobUuid, minerHotkey: j.miner.hotkey, executorClass: j.executorClass,
        status: j.verdict.status, comment: j.verdict.comment, batchId: batch.id,
      });
    }
    const created = new Set(result.jobs.map((j) => j.jobUuid));
    const uses = llmUses.filter((u) => created.has(u.syntheticJobUuid));
    if (uses.length > 0 && this.llmSamples) {
      await this.llmSamples.markUsed(uses).catch((e: unknown) => this.logger.error({ err: e }, 'could not mark prompt samples used'));
    }
    // Non-critical: our receipts into the receipts tables (conflict-ignore), as the reference does last.
    if (this.receiptsStore) {
      const all = result.jobs.flatMap((j) => j.signed.map((r) => ({ payload: r.payload, validatorSignature: r.signature, minerSignature: null, blob: r.blob })));
      await this.receiptsStore.store(all).catch((e: unknown) => this.logger.error({ err: e }, 'could not store synthetic receipts'));
    }
    const report = { ...this.report(batch, miners, result, this.clock.now() - started), persistMs };
    this.metrics?.batchFinished(report);
    return report;
  }

  private async engineConfig(batch: SyntheticJobBatch): Promise<BatchEngineConfig> {
    const block = Number(batch.block);
    const netuid = this.config.chain.BITTENSOR_NETUID;
    let nonPeak: BatchEngineConfig['nonPeak'] = null;
    if (!isInPeakCycle(block, netuid)) {
      const peak = peakCycle(block, netuid);
      const rows = (await this.dataSource.query(
        `SELECT m.hotkey, mm.executor_class, SUM(mm.online_executor_count)::int AS n
           FROM miner_manifest mm JOIN miner m ON m.id = mm.miner_id
          WHERE mm.batch_id = (SELECT id FROM synthetic_job_batch WHERE block >= $1 AND block < $2 AND should_be_scored ORDER BY id LIMIT 1)
          GROUP BY m.hotkey, mm.executor_class`,
        [peak.start, peak.stop],
      )) as { hotkey: string; executor_class: string; n: number }[];
      const peakCounts = new Map<string, Map<string, number>>();
      for (const r of rows) {
        if (!peakCounts.has(r.hotkey)) peakCounts.set(r.hotkey, new Map());
        (peakCounts.get(r.hotkey) as Map<string, number>).set(r.executor_class, Number(r.n));
      }
      nonPeak = {
        peakCounts,
        ratio: await this.dynamic.get('DYNAMIC_NON_PEAK_CYCLE_EXECUTOR_MIN_RATIO'),
        missedPeakDefaults: parseClassIntMap(await this.dynamic.get('DYNAMIC_DEFAULT_EXECUTOR_LIMITS_FOR_MISSED_PEAK')),
      };
    }
    return {
      maxPerClass: parseClassIntMap(await this.dynamic.get('DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS'), { dropNegative: true }),
      nonPeak,
      excusedScore: await this.dynamic.get('DYNAMIC_EXCUSED_SYNTHETIC_JOB_SCORE'),
      minimumStakeForExcuse: await this.dynamic.get('DYNAMIC_MINIMUM_VALIDATOR_STAKE_FOR_EXCUSE'),
      eventLimits: parseEventLimits(await this.dynamic.get('DYNAMIC_SYSTEM_EVENT_LIMITS')),
      rejectDuplicateExcuses: false,
      streamingReadyTimeoutMs: (await this.dynamic.get('DYNAMIC_SYNTHETIC_STREAMING_JOB_READY_TIMEOUT')) * 1000,
    };
  }

  private async jobFactory(llmUses: { sampleId: string; syntheticJobUuid: string }[]): Promise<JobFactory> {
    const override = this.config.jobs.DEBUG_OVERRIDE_WEIGHTS_VERSION;
    const weightsVersion = override ?? (await this.dynamic.get('DYNAMIC_WEIGHTS_VERSION'));
    const difficulty = parseHashcatDifficulty(this.config.jobs.DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY);
    const clock = this.clock;
    const samples: LlmSample[] = [];
    const s3 = this.s3;
    const downloadTimeoutMs = (await this.dynamic.get('DYNAMIC_LLM_ANSWER_S3_DOWNLOAD_TIMEOUT_SECONDS')) * 1000;
    // Only LLM jobs have a streaming variant; other classes in the list run as usual.
    const streamingClasses = parseExecutorClassList(await this.dynamic.get('DYNAMIC_SYNTHETIC_STREAMING_JOB_EXECUTOR_CLASSES'));
    return {
      create: async (miner: BatchMiner, executorClass: ExecutorClass) => {
        if (executorClass !== 'always_on.llm.a6000') {
          return createHashcatJob({ executorClass, minerHotkey: miner.hotkey, weightsVersion, difficulty, nowMs: clock.now() });
        }
        const sample = samples.shift();
        if (!sample || !s3) throw new Error('LLM job requested without a reserved prompt sample');
        const job = await createLlmPromptsJob({
          executorClass,
          streaming: streamingClasses.has(executorClass),
          sample: { seriesUrl: sample.seriesUrl, seed: sample.seed, prompts: sample.prompts },
          urlsFor: async (fileUuid) => ({
            uploadUrl: await s3.uploadUrl(s3.answersBucket, `${fileUuid}.json`, 'solved/'),
            publicUrl: s3.publicUrl(s3.answersBucket, `${fileUuid}.json`, 'solved/'),
          }),
          download: (url) => downloadFileContent(url, downloadTimeoutMs),
          sleep: (ms) => clock.sleep(ms),
        });
        llmUses.push({ sampleId: sample.sampleId, syntheticJobUuid: job.jobUuid });
        return job;
      },
      reserveLlm: async (count: number) => {
        const reason = await this.reserveLlmSamples(count, samples);
        return reason === null ? { ok: true } : { ok: false, reason };
      },
    };
  }

  /** Takes `count` unused answered samples into `into`, or returns why LLM jobs are skipped. */
  private async reserveLlmSamples(count: number, into: LlmSample[]): Promise<string | null> {
    const s3 = this.s3;
    if (!this.llmSamples) return 'no prompt sample source (trusted-miner module not loaded)';
    if (!s3 || !s3.isConfigured()) return 'S3 is not configured (AWS credentials, S3_BUCKET_NAME_PROMPTS, S3_BUCKET_NAME_ANSWERS)';
    const samples = await this.llmSamples.takeUnused(count);
    if (samples.length < count) {
      await this.insufficientPrompts(count);
      return `not enough prompt samples: ${samples.length} ready, ${count} needed`;
    }
    into.push(...samples);
    return null;
  }

  private async insufficientPrompts(llmExecutorCount: number): Promise<void> {
    const since = new Date(this.clock.now() - INSUFFICIENT_PROMPTS_EVERY_MS);
    const recent = (await this.dataSource.query(
      `SELECT 1 FROM system_event WHERE type = 'VALIDATOR_TELEMETRY' AND subtype = 'INSUFFICIENT_PROMPTS' AND timestamp > $1 LIMIT 1`, [since],
    )) as unknown[];
    if (recent.length > 0) return;
    const counts = this.llmSamples ? await this.llmSamples.counts() : null;
    await this.insertEvents([{
      type: 'VALIDATOR_TELEMETRY', subtype: 'INSUFFICIENT_PROMPTS', description: 'not enough prompt samples available in database',
      data: {
        func: 'get_llm_prompt_samples', llm_executor_count: llmExecutorCount,
        prompt_series_total_count: counts?.promptSeriesTotalCount, prompt_sample_used_count: counts?.promptSampleUsedCount,
        prompt_sample_unused_answered_count: counts?.promptSampleUnusedAnsweredCount, prompt_sample_unused_unanswered_count: counts?.promptSampleUnusedUnansweredCount,
      },
    }]);
  }

  private async persist(batch: SyntheticJobBatch, result: BatchEngineResult): Promise<void> {
    const now = this.clock.nowDate();
    const jobs = result.jobs.map((j) => ({
      job_uuid: j.jobUuid,
      miner_id: j.miner.id,
      miner_address: j.miner.address,
      miner_address_ip_version: j.miner.ipVersion,
      miner_port: j.miner.port,
      executor_class: j.executorClass,
      status: j.verdict.status,
      comment: j.verdict.comment,
      job_description: j.description,
      batch_id: batch.id,
      score: j.verdict.score,
      failure_kind: j.verdict.failureKind,
      receipts: j.receipts,
    }));
    // Per-batch manifests (the designed non-peak limit input; synthetic-jobs.md §4.5 REF-CHOICE).
    const online = new Map<string, number>();
    for (const j of result.jobs) {
      if (j.verdict.success || j.verdict.excused) online.set(`${j.miner.hotkey}|${j.executorClass}`, (online.get(`${j.miner.hotkey}|${j.executorClass}`) ?? 0) + 1);
    }
    const minerIds = new Map(result.jobs.map((j) => [j.miner.hotkey, j.miner.id]));
    const manifests: { miner_id: string; batch_id: string; executor_class: string; executor_count: number; online_executor_count: number }[] = [];
    for (const [hotkey, counts] of result.limitedCounts) {
      const minerId = minerIds.get(hotkey);
      if (!minerId) continue;
      for (const [cls, n] of counts) manifests.push({ miner_id: minerId, batch_id: batch.id, executor_class: cls, executor_count: n, online_executor_count: online.get(`${hotkey}|${cls}`) ?? 0 });
    }
    // One multi-row statement per 1000 rows (jsonb_to_recordset): thousands of jobs in well under a second.
    await this.dataSource.transaction(async (em) => {
      await em.query(`UPDATE synthetic_job_batch SET accepting_results_until = $2 WHERE id = $1`, [batch.id, now]);
      for (let i = 0; i < jobs.length; i += 1000) {
        await em.query(
          `INSERT INTO synthetic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, executor_class, status, comment, job_description, batch_id, score, failure_kind, receipts)
           SELECT job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, executor_class, status, comment, job_description, batch_id, score, failure_kind, receipts
             FROM jsonb_to_recordset($1::jsonb) AS x(job_uuid uuid, miner_id bigint, miner_address varchar, miner_address_ip_version int, miner_port int, executor_class varchar,
                  status text, comment text, job_description text, batch_id bigint, score float8, failure_kind varchar, receipts jsonb)`,
          [JSON.stringify(jobs.slice(i, i + 1000))],
        );
      }
      for (let i = 0; i < manifests.length; i += 1000) {
        await em.query(
          `INSERT INTO miner_manifest (miner_id, batch_id, executor_class, executor_count, online_executor_count)
           SELECT miner_id, batch_id, executor_class, executor_count, online_executor_count
             FROM jsonb_to_recordset($1::jsonb) AS x(miner_id bigint, batch_id bigint, executor_class varchar, executor_count int, online_executor_count int)`,
          [JSON.stringify(manifests.slice(i, i + 1000))],
        );
      }
    });
    await this.insertEvents(result.events.map((e) => ({ ...e, data: { ...e.data, batch_id: batch.id } })));
  }

  /**
   * Marks started batches whose results were never stored as interrupted (`batchId`, or every such
   * batch when null: only under the calendar's run lock, when none is running) and records one
   * `VALIDATOR_SYNTHETIC_JOBS_FAILURE / INTERRUPTED` event each.
   */
  async markInterrupted(batchId: string | null, reason: string): Promise<{ id: string; block: string }[]> {
    const result = (await this.dataSource.query(
      `UPDATE synthetic_job_batch SET interrupted_at = $2
        WHERE started_at IS NOT NULL AND accepting_results_until IS NULL AND interrupted_at IS NULL AND ($1::bigint IS NULL OR id = $1::bigint)
        RETURNING id::text AS id, block::text AS block, started_at`,
      [batchId, this.clock.nowDate()],
    )) as unknown[];
    const rows = (Array.isArray(result[0]) ? result[0] : result) as { id: string; block: string; started_at: Date }[];
    await this.insertEvents(rows.map((r) => ({
      type: 'VALIDATOR_SYNTHETIC_JOBS_FAILURE', subtype: 'INTERRUPTED',
      description: `Synthetic batch ${r.id} (block ${r.block}) was interrupted: ${reason}; it is not run again and its cycle is not scored`,
      data: { batch_id: r.id, block: Number(r.block), started_at: new Date(r.started_at).toISOString(), reason },
    })));
    if (rows.length) this.logger.warn({ batches: rows.map((r) => r.id), reason }, 'synthetic batches interrupted');
    return rows;
  }

  /** Bulk insert of the batch's buffered events (outside the timed stages). */
  private async insertEvents(events: SystemEventInput[]): Promise<void> {
    const rows = events.map((e) => ({ type: e.type, subtype: e.subtype, long_description: e.description ?? '', data: toJsonData(e.data ?? {}) }));
    try {
      for (let i = 0; i < rows.length; i += 1000) {
        await this.dataSource.query(
          `INSERT INTO system_event (type, subtype, long_description, data)
           SELECT type, subtype, long_description, data FROM jsonb_to_recordset($1::jsonb) AS x(type varchar, subtype varchar, long_description text, data jsonb)`,
          [JSON.stringify(rows.slice(i, i + 1000))],
        );
      }
    } catch (e) {
      this.logger.error({ err: e }, 'could not store synthetic batch events');
    }
  }

  private report(batch: SyntheticJobBatch, miners: BatchMiner[], result: BatchEngineResult, wallMs: number): BatchReport {
    const rows = new Map<string, BatchReportRow>();
    const row = (hotkey: string, cls: string) => {
      const key = `${hotkey}|${cls}`;
      if (!rows.has(key)) rows.set(key, { minerHotkey: hotkey, executorClass: cls, sent: 0, completed: 0, excused: 0, failed: 0, reasons: {} });
      return rows.get(key) as BatchReportRow;
    };
    for (const m of miners) {
      const failure = result.minerFailures.get(m.hotkey);
      if (failure) row(m.hotkey, '-').reasons[failure] = 1;
      else if (result.manifests.get(m.hotkey) && (result.limitedCounts.get(m.hotkey)?.size ?? 0) === 0) row(m.hotkey, '-').reasons['manifest lists no executors'] = 1;
    }
    for (const j of result.jobs) {
      const r = row(j.miner.hotkey, j.executorClass);
      r.sent++;
      if (j.verdict.status === 'COMPLETED') r.completed++;
      else if (j.verdict.status === 'EXCUSED') r.excused++;
      else {
        r.failed++;
        const kind = j.verdict.failureKind ?? 'FAILED';
        r.reasons[kind] = (r.reasons[kind] ?? 0) + 1;
      }
    }
    for (const s of result.skipped) row(s.minerHotkey, s.executorClass).reasons[`skipped ${s.count}: ${s.reason}`] = s.count;
    return { batchId: batch.id, block: Number(batch.block), miners: miners.length, jobs: result.jobs.length, rows: [...rows.values()], wallMs };
  }
}

function defaultConnectionFactory(opts: MinerConnectionOptions): MinerConnectionApi {
  // Resolved at call time: the connection module is another helper's and may load later.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { MinerConnection } = require('../../miners/connection') as typeof import('../../miners/connection');
  return new MinerConnection(opts);
}
