import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { TRUSTED_MINER_PSEUDO_HOTKEY } from '../../miners/registry/miner.entity';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { ReceiptsService } from '../../receipts/receipts.service';
import { MinerBlacklistRepository } from '../persistence/miner-blacklist.repository';
import { RoutingReadModel } from '../persistence/routing.read-model';
import { CollateralGate } from './collateral-gate';
import { ManifestSource, ServingMiner } from './manifest-source';
import { JobRoute, NoMinerForJob } from './route';
import { weightedShuffle } from './weighted-shuffle';

export interface RoutingOptions {
  /** Skip miners with an active blacklist row (the reference writes the blacklist but never reads it). Default true. */
  respectBlacklist: boolean;
  /** How long the manifest, incident and blacklist reads are reused, ms (our own blacklist writes invalidate). */
  cacheTtlMs: number;
  /** How long the receipt-based busy view is reused, ms (our own jobs are counted exactly regardless). */
  busyCacheMs: number;
  /** Serve an expired cached read and refresh it in the background (keeps database latency out of the lock). */
  staleWhileRevalidate: boolean;
  random: () => number;
}
export const ROUTING_OPTIONS = Symbol('ROUTING_OPTIONS');

export interface RoutableJob {
  uuid: string;
  executorClass: string;
  onTrustedMiner: boolean;
  executorSeconds: number;
}

/**
 * Picks the miner for an organic job (organic-jobs.md §5). Every decision runs under one lock, and a
 * picked miner keeps a claim on one executor until the job ends (`release`), so two concurrent jobs
 * can never both take a miner's last free executor even before the job's receipts exist.
 */
@Injectable()
export class RoutingService {
  private readonly logger = new Logger(RoutingService.name);
  private readonly options: RoutingOptions;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly claims = new Map<string, { hotkey: string; executorClass: string }>();
  private readonly cache = new Map<string, { at: number; value: unknown }>();
  /** Our jobs that ended, with the time they ended: their receipts may not be stored yet. */
  private readonly finished = new Map<string, number>();

  constructor(
    private readonly reads: RoutingReadModel,
    private readonly blacklist: MinerBlacklistRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly events: SystemEventsService,
    private readonly receipts: ReceiptsService,
    private readonly manifests: ManifestSource,
    private readonly collateral: CollateralGate,
    @Optional() @Inject(ROUTING_OPTIONS) options?: Partial<RoutingOptions>,
  ) {
    this.options = { respectBlacklist: true, cacheTtlMs: 5000, busyCacheMs: 1000, staleWhileRevalidate: true, random: Math.random, ...options };
  }

  /** Picks a miner; throws NoMinerForJob when none can take the job. Call `release(uuid)` when the job ends. */
  async pick(job: RoutableJob): Promise<JobRoute> {
    // Dynamic values are read before taking the lock (a cache refresh there would stall every job).
    const settings = await this.cached('settings', async () => ({
      center: (await this.dynamic.get('DYNAMIC_ROUTING_RELIABILITY_SOFT_CUTOFF')) / 2,
      steepness: await this.dynamic.get('DYNAMIC_ROUTING_RELIABILITY_SEPARATION'),
      windowHours: await this.dynamic.get('DYNAMIC_ROUTING_RELIABILITY_WINDOW_HOURS'),
    }));
    const run = this.lock.then(() => this.pickLocked(job, settings));
    this.lock = run.catch(() => undefined);
    return run;
  }

  release(jobUuid: string): void {
    if (this.claims.delete(jobUuid)) {
      // Our finished job may still sit in the cached receipt view: do not count it until the next read.
      this.finished.set(jobUuid, this.clock.now());
    }
  }

  private async pickLocked(job: RoutableJob, settings: { center: number; steepness: number; windowHours: number }): Promise<JobRoute> {
    const jobs = this.config.jobs;
    if (jobs.DEBUG_MINER_KEY) {
      const row = await this.ensureMiner(jobs.DEBUG_MINER_KEY);
      const useOverride = jobs.DEBUG_MINER_ADDRESS !== '' && jobs.DEBUG_MINER_PORT > 0;
      return {
        kind: 'debug',
        miner: useOverride ? { hotkey: jobs.DEBUG_MINER_KEY, address: jobs.DEBUG_MINER_ADDRESS, port: jobs.DEBUG_MINER_PORT, ipVersion: 4 } : { hotkey: jobs.DEBUG_MINER_KEY, ...row },
        allowanceBlocks: [], allowanceReservationId: null, allowanceJobValue: null,
      };
    }
    if (job.onTrustedMiner) {
      await this.ensureMiner(TRUSTED_MINER_PSEUDO_HOTKEY);
      return {
        kind: 'trusted',
        miner: { hotkey: TRUSTED_MINER_PSEUDO_HOTKEY, address: jobs.TRUSTED_MINER_ADDRESS, port: jobs.TRUSTED_MINER_PORT, ipVersion: 4 },
        allowanceBlocks: null, allowanceReservationId: null, allowanceJobValue: null,
      };
    }

    const serving = await this.cached(`serving:${job.executorClass}`, () => this.manifests.servingMiners(job.executorClass));
    const byHotkey = new Map(serving.map((m) => [m.hotkey, m]));
    const skipped: Record<string, string> = {};
    let candidates = serving.map((m) => m.hotkey);
    if (candidates.length === 0) {
      throw new NoMinerForJob('NotEnoughAllowanceException', `no miner serves executor class ${job.executorClass}`);
    }
    if (this.options.respectBlacklist) {
      const blacklisted = await this.activeBlacklist();
      for (const hk of candidates) if (blacklisted.has(hk)) skipped[hk] = 'blacklisted';
      candidates = candidates.filter((hk) => !blacklisted.has(hk));
    }
    let threshold: bigint | null = null;
    try {
      const gate = await this.collateral.filterMiners(candidates);
      threshold = gate.threshold;
      const eligible = new Set(gate.eligible);
      for (const hk of candidates) if (!eligible.has(hk)) skipped[hk] = 'not enough collateral';
      candidates = candidates.filter((hk) => eligible.has(hk));
      if (candidates.length === 0 && Object.values(skipped).includes('not enough collateral')) {
        throw new NoMinerForJob('NotEnoughCollateralException', 'no candidate miner has enough collateral');
      }
    } catch (e) {
      // The gate may signal "nobody has enough collateral" with its own exception of the reference's name.
      if (e instanceof NoMinerForJob || (e instanceof Error && e.name === 'NotEnoughCollateralException')) {
        this.recordRouting(job, 'JOB_ROUTING_FAILURE', { collateral_threshold: threshold?.toString() ?? null, skipped_miners: skipped });
        throw e instanceof NoMinerForJob ? e : new NoMinerForJob('NotEnoughCollateralException', e.message);
      }
      this.logger.error({ err: e, jobUuid: job.uuid }, 'collateral filter failed; routing without it');
    }

    const scores = await this.reliabilityScores(job.executorClass, byHotkey, settings.windowHours);
    const { center, steepness } = settings;
    const { order, probabilities } = weightedShuffle(candidates, candidates.map((hk) => scores.get(hk) ?? 0), center, steepness, this.options.random);
    const busy = await this.busyCounts(job.executorClass);

    for (const hk of order) {
      const miner = byHotkey.get(hk) as ServingMiner;
      if ((busy.get(hk) ?? 0) >= miner.executorCount) {
        skipped[hk] = 'busy';
        continue;
      }
      this.claims.set(job.uuid, { hotkey: hk, executorClass: job.executorClass });
      this.recordRouting(job, 'JOB_ROUTING_SUCCESS', {
        collateral_threshold: threshold?.toString() ?? null,
        reliability_scores: Object.fromEntries(candidates.map((c) => [c, scores.get(c) ?? 0])),
        pick_probabilities: Object.fromEntries(order.map((c, i) => [c, probabilities[i]])),
        busy_executors: Object.fromEntries(busy), skipped_miners: skipped, picked_miner: hk,
      });
      return {
        kind: 'normal',
        miner: { hotkey: hk, address: miner.address, port: miner.port, ipVersion: miner.ipVersion },
        allowanceBlocks: [], allowanceReservationId: null, allowanceJobValue: job.executorSeconds,
      };
    }
    this.recordRouting(job, 'JOB_ROUTING_FAILURE', { busy_executors: Object.fromEntries(busy), skipped_miners: skipped });
    throw new NoMinerForJob('AllMinersBusy', 'all suitable miners are busy');
  }

  private recordRouting(job: RoutableJob, subtype: 'JOB_ROUTING_SUCCESS' | 'JOB_ROUTING_FAILURE', data: Record<string, unknown>): void {
    // Not awaited: routing holds the lock, and recording never throws.
    void this.events.record({ type: 'JOB_ROUTING', subtype, data: { job_uuid: job.uuid, executor_class: job.executorClass, executor_seconds: job.executorSeconds, ...data } });
  }

  /**
   * Ongoing jobs per miner: receipts of every validator (re-read at most every `busyCacheMs`; other
   * validators' receipts arrive by transfer every few seconds anyway), plus our own in-flight jobs,
   * which are tracked exactly by their claims and never counted twice.
   */
  private async busyCounts(executorClass: string): Promise<Map<string, number>> {
    const claimed = [...this.claims.entries()].filter(([, c]) => c.executorClass === executorClass);
    const claimedUuids = new Set(claimed.map(([uuid]) => uuid));
    const fromReceipts = await this.cached(`busy:${executorClass}`, () => this.receipts.busyExecutorJobs(executorClass, this.clock.nowDate()), this.options.busyCacheMs);
    const busy = new Map<string, number>();
    for (const [uuid, hk] of fromReceipts) if (!claimedUuids.has(uuid) && !this.finished.has(uuid)) busy.set(hk, (busy.get(hk) ?? 0) + 1);
    for (const [, c] of claimed) busy.set(c.hotkey, (busy.get(c.hotkey) ?? 0) + 1);
    return busy;
  }

  private async reliabilityScores(executorClass: string, serving: Map<string, ServingMiner>, hours: number): Promise<Map<string, number>> {
    const raw = await this.cached(`incidents:${executorClass}`, async () => {
      const since = new Date(this.clock.now() - hours * 3600_000);
      const counts = await this.reads.incidentCounts(executorClass, since);
      return new Map([...counts].map(([hk, n]) => [hk, -n]));
    });
    const scores = new Map<string, number>();
    for (const [hk, m] of serving) scores.set(hk, (raw.get(hk) ?? 0) / (m.executorCount || 1));
    return scores;
  }

  private async activeBlacklist(): Promise<Set<string>> {
    return this.cached('blacklist', () => this.blacklist.activeHotkeys(this.clock.nowDate()));
  }

  /** Drops cached manifests and incident counts (after a failure the next pick sees the new incident). */
  invalidate(): void {
    this.cache.clear();
  }

  private readonly refreshing = new Set<string>();

  private async cached<T>(key: string, load: () => Promise<T>, ttlMs = this.options.cacheTtlMs): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && this.clock.now() - hit.at < ttlMs) return hit.value as T;
    if (hit && this.options.staleWhileRevalidate) {
      // Routing holds the lock: use the previous value now and refresh in the background.
      if (!this.refreshing.has(key)) {
        this.refreshing.add(key);
        void this.load(key, load).catch((e: unknown) => this.logger.error({ err: e, key }, 'routing cache refresh failed')).finally(() => this.refreshing.delete(key));
      }
      return hit.value as T;
    }
    return this.load(key, load);
  }

  private async load<T>(key: string, load: () => Promise<T>): Promise<T> {
    const at = this.clock.now();
    const value = await load();
    this.cache.set(key, { at, value });
    if (key.startsWith('busy:')) {
      for (const [uuid, ended] of this.finished) if (at - ended > 30_000) this.finished.delete(uuid);
    }
    return value;
  }

  private async ensureMiner(hotkey: string): Promise<{ address: string; port: number; ipVersion: number }> {
    return this.reads.ensureMiner(hotkey);
  }
}
