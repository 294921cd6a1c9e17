import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Clock } from '../config/clock';
import { DynamicConfigService } from '../config/dynamic/dynamic-config.service';
import { cycleContaining, type BlockRange } from './calendar/chain-time';
import { batchState, type BatchState } from './calendar/batch-state';
import { BLOCK_FINALIZATION_NUMBER } from './calendar/synthetic-calendar.service';

export interface JobCounts {
  sent: number;
  completed: number;
  excused: number;
  failed: number;
}

export interface BatchView {
  id: string;
  block: number;
  cycle: BlockRange | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  scored: boolean;
  /** false for debug runs (never scored). */
  shouldBeScored: boolean;
  state: BatchState;
  /** Stored jobs (a running batch stores its jobs at its end, so it shows none yet). */
  jobs: JobCounts;
  /** failure kind -> count */
  failureKinds: Record<string, number>;
}

export interface CalendarView {
  head: number;
  cycle: BlockRange;
  nextCycle: BlockRange;
  /** This cycle's scheduled batch, if the calendar has made it yet. */
  current: BatchView | null;
  /** The next batch that will run: scheduled or due, not started. Null: none until the next cycle's slot is chosen. */
  next: BatchView | null;
  /** The block whose hash seeds the next cycle's slot (the slot is known from then on). */
  nextSlotChosenAtBlock: number;
  /** Scheduled batches of this and the previous cycle that passed without running. */
  missed: BatchView[];
}

export interface MinerBatchResult {
  batchId: string;
  minerId: string;
  completed: number;
  excused: number;
  failed: number;
}

interface BatchRow {
  id: string;
  block: string;
  cycle_start: string | null;
  cycle_stop: string | null;
  created_at: Date;
  started_at: Date | null;
  accepting_results_until: Date | null;
  interrupted_at: Date | null;
  scored: boolean;
  should_be_scored: boolean;
  is_missed: boolean;
  sent: string | null;
  completed: string | null;
  excused: string | null;
  failed: string | null;
  failure_kinds: Record<string, number> | null;
}

const BATCH_COLUMNS = `b.id, b.block, c.start AS cycle_start, c.stop AS cycle_stop, b.created_at, b.started_at, b.accepting_results_until,
  b.interrupted_at, b.scored, b.should_be_scored, b.is_missed, j.sent, j.completed, j.excused, j.failed, j.failure_kinds`;
const BATCH_FROM = `synthetic_job_batch b LEFT JOIN cycle c ON c.id = b.cycle_id
  LEFT JOIN LATERAL (
    SELECT count(*) AS sent, count(*) FILTER (WHERE status = 'COMPLETED') AS completed, count(*) FILTER (WHERE status = 'EXCUSED') AS excused,
           count(*) FILTER (WHERE status = 'FAILED') AS failed,
           (SELECT jsonb_object_agg(k, n) FROM (SELECT failure_kind AS k, count(*) AS n FROM synthetic_job WHERE batch_id = b.id AND failure_kind IS NOT NULL GROUP BY 1) f) AS failure_kinds
      FROM synthetic_job WHERE batch_id = b.id) j ON true`;

/**
 * Read-only view of the synthetic calendar and batch results for the status page and metrics, with
 * the calendar's own rules for what is next, running or missed (calendar/batch-state.ts).
 */
@Injectable()
export class SyntheticJobsReadModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
  ) {}

  /** The cycle around `head` (chain tempo `tempo`), its batch, the next batch and recent misses. */
  async calendar(head: number, tempo: number): Promise<CalendarView> {
    const netuid = this.config.chain.BITTENSOR_NETUID;
    const cycle = cycleContaining(head, netuid, tempo);
    const length = cycle.stop - cycle.start;
    const nextCycle = { start: cycle.stop, stop: cycle.stop + length };
    const oversleep = await this.dynamic.get('DYNAMIC_SYNTHETIC_JOBS_PLANNER_MAX_OVERSLEEP_BLOCKS');
    const rows = (await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM ${BATCH_FROM} WHERE b.should_be_scored AND b.block >= $1 AND b.block < $2 ORDER BY b.block`,
      [cycle.start - length, nextCycle.stop],
    )) as BatchRow[];
    const views = rows.map((r) => this.view(r, head, oversleep));
    const inCycle = (b: BatchView) => b.block >= cycle.start && b.block < cycle.stop;
    return {
      head,
      cycle,
      nextCycle,
      current: views.find(inCycle) ?? null,
      next: views.find((b) => b.state === 'scheduled' || b.state === 'due') ?? null,
      nextSlotChosenAtBlock: nextCycle.start - BLOCK_FINALIZATION_NUMBER,
      missed: views.filter((b) => b.state === 'missed'),
    };
  }

  /** The newest batches by block (debug runs included, flagged), with their stored job counts. */
  async recentBatches(limit: number, head: number | null): Promise<BatchView[]> {
    const oversleep = await this.dynamic.get('DYNAMIC_SYNTHETIC_JOBS_PLANNER_MAX_OVERSLEEP_BLOCKS');
    const rows = (await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM ${BATCH_FROM} WHERE b.id IN (SELECT id FROM synthetic_job_batch WHERE started_at IS NOT NULL OR is_missed OR block <= $2 ORDER BY block DESC LIMIT $1) ORDER BY b.block DESC`,
      [limit, head ?? Number.MAX_SAFE_INTEGER],
    )) as BatchRow[];
    return rows.map((r) => this.view(r, head, oversleep));
  }

  /** Per miner and batch: completed, excused and failed jobs. */
  async minerResults(batchIds: readonly string[]): Promise<MinerBatchResult[]> {
    if (batchIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT batch_id, miner_id, count(*) FILTER (WHERE status = 'COMPLETED') AS completed, count(*) FILTER (WHERE status = 'EXCUSED') AS excused,
              count(*) FILTER (WHERE status = 'FAILED') AS failed
         FROM synthetic_job WHERE batch_id = ANY($1::bigint[]) GROUP BY batch_id, miner_id`,
      [batchIds],
    )) as { batch_id: string; miner_id: string; completed: string; excused: string; failed: string }[];
    return rows.map((r) => ({ batchId: String(r.batch_id), minerId: String(r.miner_id), completed: Number(r.completed), excused: Number(r.excused), failed: Number(r.failed) }));
  }

  private view(r: BatchRow, head: number | null, oversleep: number): BatchView {
    const block = Number(r.block);
    const startedAt = r.started_at;
    const finishedAt = r.accepting_results_until;
    return {
      id: String(r.id),
      block,
      cycle: r.cycle_start === null || r.cycle_stop === null ? null : { start: Number(r.cycle_start), stop: Number(r.cycle_stop) },
      createdAt: r.created_at,
      startedAt,
      finishedAt,
      scored: r.scored,
      shouldBeScored: r.should_be_scored,
      state: batchState({ block, isMissed: r.is_missed, startedAt, finishedAt, interruptedAt: r.interrupted_at }, head, oversleep, this.clock.now()),
      jobs: { sent: Number(r.sent ?? 0), completed: Number(r.completed ?? 0), excused: Number(r.excused ?? 0), failed: Number(r.failed ?? 0) },
      failureKinds: Object.fromEntries(Object.entries(r.failure_kinds ?? {}).map(([k, n]) => [k, Number(n)])),
    };
  }
}
