import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../config/clock';
import { ChainReadModel, type ChainView } from '../chain/chain.read-model';
import { MinersReadModel, type NeuronView } from '../miners/registry/miners.read-model';
import { SyntheticJobsReadModel, type BatchView, type CalendarView, type MinerBatchResult } from '../synthetic-jobs/synthetic-jobs.read-model';
import { WeightsReadModel, type WeightsView } from '../weights/weights.read-model';
import { OrganicJobsReadModel, type FacilitatorView, type OrganicCounts } from '../organic-jobs/organic-jobs.read-model';
import { HealthService } from '../observability/health.service';
import { LiveFeedService, type JobStatusEvent } from '../observability/live/live-feed.service';
import { SystemEventsService } from '../observability/system-events/system-events.service';
import { overallState, type OverallState } from './overall-state';
import { eventSummary, oneLine } from './text';

/** A part of the page: its data, or why it could not be read (never zeros in its place). */
export type Section<T> = { ok: true; value: T } | { ok: false; error: string };

export interface IdentityView {
  hotkey: string | null;
  hotkeyError: string | null;
  network: string;
  netuid: number;
  /** null: not in the metagraph. */
  neuron: { uid: number; stakeRao: bigint; validatorPermit: boolean } | null;
}

export interface MinerRow {
  uid: number;
  hotkey: string;
  validatorPermit: boolean;
  serving: boolean;
  /** Results per batch, oldest first, for the batches in `StatusSnapshot.batches` (null: no job for it). */
  history: ({ completed: number; excused: number; failed: number } | null)[];
  /** null: organic jobs could not be read (the page says so instead of showing zeros). */
  organic24h: { completed: number; other: number } | null;
  /** From the newest weights round: score, u16 weight and its share of the round's total. */
  score: number | null;
  weight: number | null;
  weightShare: number | null;
  /** u16 weight per weights round, oldest first (null: not in that round). */
  weightHistory: (number | null)[];
}

export interface EventView {
  id: string;
  timestamp: Date;
  type: string;
  subtype: string;
  /** First line only, shortened: no stack traces or job output. */
  description: string;
}

export interface StatusSnapshot {
  generatedAt: Date;
  overall: OverallState;
  health: { name: string; ok: boolean; critical: boolean; detail?: string }[];
  chain: Omit<ChainView, 'hotkey'>;
  identity: Section<IdentityView>;
  /** null until a head and the tempo are known. */
  calendar: Section<CalendarView | null>;
  /** Newest first. */
  batches: Section<BatchView[]>;
  /** Newest first. */
  weights: Section<WeightsView[]>;
  facilitator: Section<FacilitatorView>;
  organic24h: Section<Record<string, number>>;
  /** Per-miner and per-job data: shown only with the status-page token. */
  details: {
    miners: Section<MinerRow[]>;
    jobStatuses: JobStatusEvent[];
    events: Section<EventView[]>;
  };
}

/** A snapshot is reused for this long: a flood of page loads costs one build per interval. */
export const SNAPSHOT_MAX_AGE_MS = 2_000;
const HISTORY = 8;

/**
 * What the status page shows, read from each module's read model. One build at a time, reused for
 * SNAPSHOT_MAX_AGE_MS; its reads run one after another, so the page never holds more than one
 * database connection and cannot starve batches or organic jobs of the pool.
 */
@Injectable()
export class StatusSnapshotService {
  private readonly logger = new Logger(StatusSnapshotService.name);
  private cached: StatusSnapshot | null = null;
  private building: Promise<StatusSnapshot> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly health: HealthService,
    private readonly chain: ChainReadModel,
    private readonly miners: MinersReadModel,
    private readonly synthetic: SyntheticJobsReadModel,
    private readonly weights: WeightsReadModel,
    private readonly organic: OrganicJobsReadModel,
    private readonly events: SystemEventsService,
    private readonly feed: LiveFeedService,
  ) {}

  async snapshot(): Promise<StatusSnapshot> {
    if (this.cached && this.clock.now() - this.cached.generatedAt.getTime() < SNAPSHOT_MAX_AGE_MS) return this.cached;
    if (!this.building) {
      this.building = this.build()
        .then((s) => (this.cached = s))
        .finally(() => (this.building = null));
    }
    return this.building;
  }

  private async build(): Promise<StatusSnapshot> {
    const failed: Record<string, string> = {};
    const section = async <T>(name: string, read: () => Promise<T>): Promise<Section<T>> => {
      try {
        return { ok: true, value: await read() };
      } catch (e) {
        const error = oneLine(e instanceof Error ? e.message : String(e));
        failed[name] = error;
        this.logger.warn({ err: e, section: name }, 'status page read failed');
        return { ok: false, error };
      }
    };
    const healthReport = await this.health.evaluate(3000, SNAPSHOT_MAX_AGE_MS);
    const health = Object.entries(healthReport.checks).map(([name, c]) => ({ name, ok: c.ok, critical: c.critical, detail: c.detail }));
    const { hotkey, ...chain } = this.chain.view();
    const ownHotkey = 'ss58' in hotkey ? hotkey.ss58 : null;
    const identity = await section('identity', async (): Promise<IdentityView> => {
      const own = ownHotkey ? await this.miners.neuron(ownHotkey) : null;
      return {
        hotkey: ownHotkey,
        hotkeyError: 'error' in hotkey ? oneLine(hotkey.error) : null,
        network: chain.network,
        netuid: chain.netuid,
        neuron: own ? { uid: own.uid, stakeRao: own.stake, validatorPermit: own.validatorPermit } : null,
      };
    });
    const calendar = await section('the synthetic calendar', async () =>
      chain.head !== null && chain.tempo !== null ? this.synthetic.calendar(chain.head, chain.tempo) : null,
    );
    const batches = await section('synthetic batches', () => this.synthetic.recentBatches(HISTORY, chain.head));
    const weights = await section('weights', () => this.weights.recent(HISTORY));
    const facilitator = await section('the facilitator state', () => this.organic.facilitator());
    const since = new Date(this.clock.now() - 24 * 3600 * 1000);
    const organic = await section('organic jobs', () => this.organic.countsSince(since));
    const neurons = await section('the metagraph', () => this.miners.neurons());
    const batchResults = batches.ok ? await section('per-miner batch results', () => this.synthetic.minerResults(batches.value.map((b) => b.id))) : batches;
    const events = await section('system events', async () =>
      (await this.events.recent(30)).map((e) => ({ id: e.id, timestamp: e.timestamp, type: e.type, subtype: e.subtype, description: eventSummary(e) })),
    );
    const miners: Section<MinerRow[]> = !neurons.ok
      ? neurons
      : !batches.ok || !batchResults.ok
        ? { ok: false, error: batches.ok ? (batchResults as { error: string }).error : batches.error }
        : { ok: true, value: minerRows(neurons.value, ownHotkey, batches.value, batchResults.value, weights.ok ? weights.value : [], organic.ok ? organic.value : null) };

    const overall = overallState({
      nowMs: this.clock.now(),
      health,
      chain: { connected: chain.connected, lastError: chain.lastError, headSeenAt: chain.headSeenAt, hotkeyError: 'error' in hotkey ? oneLine(hotkey.error) : null },
      ownNeuron: identity.ok ? identity.value.neuron : undefined,
      metagraphSynced: neurons.ok && neurons.value.length > 0,
      facilitator: facilitator.ok ? facilitator.value : undefined,
      recentBatchStates: batches.ok ? batches.value.filter((b) => b.shouldBeScored).map((b) => b.state) : undefined,
      missedBatchBlocks: calendar.ok && calendar.value ? calendar.value.missed.map((b) => b.block) : undefined,
      newestWeights: weights.ok ? (weights.value[0] ?? null) : undefined,
      failedSections: failed,
    });
    return {
      generatedAt: this.clock.nowDate(),
      overall,
      health,
      chain,
      identity,
      calendar,
      batches,
      weights,
      facilitator,
      organic24h: organic.ok ? { ok: true, value: organic.value.byStatus } : organic,
      details: { miners, jobStatuses: this.feed.recentJobStatuses(50), events },
    };
  }
}

/** Every neuron but this validator itself, with its last batches, organic jobs and weights. */
function minerRows(
  neurons: NeuronView[],
  ownHotkey: string | null,
  batches: BatchView[],
  results: MinerBatchResult[],
  weights: WeightsView[],
  organic: OrganicCounts | null,
): MinerRow[] {
  const oldestFirst = [...batches].reverse();
  const byBatchMiner = new Map(results.map((r) => [`${r.batchId}|${r.minerId}`, r]));
  const weightRounds = [...weights].reverse();
  const newest = weights[0];
  const newestTotal = newest ? newest.weights.reduce((a, w) => a + w, 0) : 0;
  return neurons
    .filter((n) => n.hotkey !== ownHotkey)
    .map((n) => {
      const weightOf = (w: WeightsView): number | null => {
        const i = w.uids.indexOf(n.uid);
        return i >= 0 ? w.weights[i] : null;
      };
      return {
        uid: n.uid,
        hotkey: n.hotkey,
        validatorPermit: n.validatorPermit,
        serving: n.serving,
        history: oldestFirst.map((b) => {
          const r = byBatchMiner.get(`${b.id}|${n.minerId}`);
          return r ? { completed: r.completed, excused: r.excused, failed: r.failed } : null;
        }),
        organic24h: organic ? (organic.byMiner.get(n.minerId) ?? { completed: 0, other: 0 }) : null,
        score: newest ? (newest.scores[n.hotkey] ?? null) : null,
        weight: newest ? weightOf(newest) : null,
        weightShare: newest && newestTotal > 0 ? (weightOf(newest) ?? 0) / newestTotal : null,
        weightHistory: weightRounds.map(weightOf),
      };
    });
}
