import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { StaticValidatorHotkey, ValidatorHotkey } from '../../chain/validator-hotkey';
import { withFastSigning } from '../../protocol/facilitator';
import { Sr25519SigningPool } from '../../chain/signing/sr25519-signing-pool';
import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import { LiveFeedService } from '../../observability/live/live-feed.service';
import type { MinerConnectionApi, MinerConnectionOptions } from '../../miners/connection/types';
import { S3Service } from '../../s3/s3.service';
import { ReceiptsService } from '../../receipts/receipts.service';
import { MinerRegistryService } from '../../miners/registry/miner-registry.service';
import { timingsFromEnv } from '../debug-settings/devnet-batch-timings';
import { SyntheticJobBatch } from '../persistence/synthetic-job-batch.entity';
import { SyntheticBatchRepository } from '../persistence/synthetic-batch.repository';
import { MinerManifestRepository } from '../persistence/miner-manifest.repository';
import { BatchSystemEventsRepository } from '../persistence/batch-system-events.repository';
import { SyntheticBatchEngine, type BatchEngineResult, type BatchMiner, type BatchProgress, type BatchTimings } from '../batch/batch-engine';
import type { ActiveValidator } from '../../protocol/excuses';
import { SyntheticMinersService } from '../participants/synthetic-miners.service';
import { LlmSamplesService } from '../trusted-miner/llm-samples.service';
import { SyntheticJobsMetrics } from '../synthetic-jobs.metrics';
import { loadBatchEngineConfig } from './batch-engine-config.loader';
import { createSyntheticJobFactory, type LlmSampleUse } from './synthetic-job-factory';
import { batchResultRows } from './batch-result-rows';
import { buildBatchReport, type BatchReport } from './batch-run-report';

/** How long a batch with no known miner waits for a metagraph sync that another runner holds. */
const METAGRAPH_WAIT_MS = 30_000;

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

export type { BatchReport, BatchReportRow } from './batch-run-report';

/** Runs one SyntheticJobBatch row against the miners and persists its jobs, manifests and events. */
@Injectable()
export class SyntheticBatchRunnerService implements OnModuleDestroy {
  private readonly logger = new Logger('SyntheticBatchRunner');
  /** Receipt-signing threads, started once per process (loading wasm costs ~0.3 s of CPU per thread). */
  private pool: Sr25519SigningPool | null | undefined;

  constructor(
    private readonly batches: SyntheticBatchRepository,
    private readonly manifests: MinerManifestRepository,
    private readonly batchEvents: BatchSystemEventsRepository,
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
    @Optional() private readonly registry?: MinerRegistryService,
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
    const created = await this.batches.insertAtBlock(block, c, opts.shouldBeScored);
    // One batch per block (unique): the reference's debug command fails the same way in the same block.
    if (!created && opts.failIfExists) throw new Error(`a synthetic batch for block ${block} already exists; run again after the next block`);
    return (await this.batches.findByBlock(block)) as SyntheticJobBatch;
  }

  async runBatch(batchId: string, opts: RunBatchOptions = {}): Promise<BatchReport> {
    const started = this.clock.now();
    const batch = await this.batches.findById(batchId);
    if (!batch) throw new Error(`synthetic job batch ${batchId} does not exist`);
    let miners = opts.miners ?? (await this.minersService.servingMiners());
    if (miners.length === 0 && !opts.miners) miners = await this.afterMetagraphSync(batchId);
    if (miners.length === 0) {
      this.logger.warn({ batchId }, 'no serving miners: nothing to run');
      // A complete (empty) result: the batch's cycle is scored from organic jobs alone.
      await this.batches.storeEmptyResults(batch.id, this.clock.nowDate());
      const empty = { batchId, block: Number(batch.block), miners: 0, jobs: 0, rows: [], wallMs: this.clock.now() - started };
      this.metrics?.batchFinished(empty);
      return empty;
    }
    const activeValidators = opts.activeValidators ?? (await this.minersService.activeValidators());
    const engineConfig = await loadBatchEngineConfig(Number(batch.block), this.config.chain.BITTENSOR_NETUID, this.dynamic, this.manifests);
    const llmUses: LlmSampleUse[] = [];
    const jobFactory = await createSyntheticJobFactory(
      { config: this.config, clock: this.clock, dynamic: this.dynamic, batchEvents: this.batchEvents, insertEvents: (events) => this.insertEvents(events), llmSamples: this.llmSamples, s3: this.s3 },
      llmUses,
    );
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
    const report = { ...buildBatchReport(batch, miners, result, this.clock.now() - started), persistMs };
    this.metrics?.batchFinished(report);
    return report;
  }

  /**
   * No serving miner in the table: on a fresh database the first batch can come before the first
   * metagraph sync (the periodic one starts 10 s after boot). Sync now, or wait for the sync another
   * runner holds, rather than run a batch that reaches nobody.
   */
  private async afterMetagraphSync(batchId: string): Promise<BatchMiner[]> {
    if (!this.registry || this.minersService.debugOverride) return [];
    const deadline = this.clock.now() + METAGRAPH_WAIT_MS;
    for (;;) {
      let ran = false;
      try {
        ran = (await this.registry.syncMetagraph()).ran;
      } catch (e) {
        this.logger.warn({ batchId, err: e }, 'no serving miners and the metagraph could not be synced');
        return [];
      }
      const miners = await this.minersService.servingMiners();
      if (miners.length > 0 || ran || this.clock.now() >= deadline) {
        if (miners.length > 0) this.logger.log({ batchId, miners: miners.length }, 'serving miners known after a metagraph sync');
        return miners;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private async persist(batch: SyntheticJobBatch, result: BatchEngineResult): Promise<void> {
    const now = this.clock.nowDate();
    const { jobs, manifests } = batchResultRows(batch.id, result);
    await this.batches.storeResults(batch.id, now, jobs, manifests);
    await this.insertEvents(result.events.map((e) => ({ ...e, data: { ...e.data, batch_id: batch.id } })));
  }

  /**
   * Marks started batches whose results were never stored as interrupted (`batchId`, or every such
   * batch when null: only under the calendar's run lock, when none is running) and records one
   * `VALIDATOR_SYNTHETIC_JOBS_FAILURE / INTERRUPTED` event each.
   */
  async markInterrupted(batchId: string | null, reason: string): Promise<{ id: string; block: string }[]> {
    const rows = await this.batches.markInterrupted(batchId, this.clock.nowDate());
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
    try {
      await this.batchEvents.insertMany(events);
    } catch (e) {
      this.logger.error({ err: e }, 'could not store synthetic batch events');
    }
  }
}

function defaultConnectionFactory(opts: MinerConnectionOptions): MinerConnectionApi {
  // Resolved at call time: the connection module is another helper's and may load later.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { MinerConnection } = require('../../miners/connection') as typeof import('../../miners/connection');
  return new MinerConnection(opts);
}
