import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OrganicJobResult, ScoringMiner, SyntheticJobResult } from '../engine';

/** The synthetic batch whose cycle is scored next (scoring-synthetic-era.md §6.2). */
export interface BatchForScoring {
  batchId: string;
  cycleId: string;
  cycleStart: number;
  cycleStop: number;
  startedAt: Date;
  /** Older eligible batches: the reference marks them scored without scoring them. */
  supersededBatchIds: string[];
}

export interface MinerAddress {
  hotkey: string;
  coldkey: string;
  address: string;
  port: number;
}

/**
 * Reads scoring inputs from the synthetic-jobs, organic-jobs and miner tables (their READMEs name
 * the columns) and keeps the main-hotkey cache. The only place the weights module touches tables
 * it does not own; the pure engine never sees the database.
 */
@Injectable()
export class ScoringInputsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Unscored, started (in the last 24 h) batch whose netuid cycle has ended before `head`;
   * the latest by started_at. Debug batches (should_be_scored = false) never qualify, and neither do
   * batches whose results were never stored (interrupted: like a missed batch, no weights for the cycle).
   */
  async batchForScoring(head: number, now: Date): Promise<BatchForScoring | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT b.id::text AS batch_id, c.id::text AS cycle_id, c.start::text AS start, c.stop::text AS stop, b.started_at
         FROM synthetic_job_batch b JOIN cycle c ON c.id = b.cycle_id
        WHERE b.scored = false AND b.should_be_scored = true
          AND b.started_at IS NOT NULL AND b.started_at >= $1 AND b.accepting_results_until IS NOT NULL
          AND c.stop < $2
        ORDER BY b.started_at, b.id`,
      [new Date(now.getTime() - 24 * 3600_000), head],
    )) as { batch_id: string; cycle_id: string; start: string; stop: string; started_at: Date }[];
    if (rows.length === 0) return undefined;
    const last = rows[rows.length - 1];
    return {
      batchId: last.batch_id,
      cycleId: last.cycle_id,
      cycleStart: Number(last.start),
      cycleStop: Number(last.stop),
      startedAt: new Date(last.started_at),
      supersededBatchIds: rows.slice(0, -1).map((r) => r.batch_id),
    };
  }

  async markBatchesScored(batchIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (batchIds.length === 0) return;
    await manager.query(`UPDATE synthetic_job_batch SET scored = true WHERE id = ANY($1::bigint[])`, [batchIds]);
  }

  /** Every miner row, in database order (coldkey grouping counts deregistered hotkeys too). */
  async miners(): Promise<ScoringMiner[]> {
    const rows = (await this.dataSource.query(`SELECT hotkey, coldkey FROM miner ORDER BY id`)) as { hotkey: string; coldkey: string | null }[];
    return rows.map((r) => ({ hotkey: r.hotkey, coldkey: r.coldkey }));
  }

  /**
   * Organic jobs with a block in [start, stop) that score (COMPLETED, not cheated, not on the
   * trusted miner), folded per (miner, executor class) in first-job order.
   */
  async organicJobs(start: number, stop: number): Promise<OrganicJobResult[]> {
    const rows = (await this.dataSource.query(
      `SELECT m.hotkey, j.executor_class, count(*)::int AS n, min(j.id) AS first
         FROM organic_job j JOIN miner m ON m.id = j.miner_id
        WHERE j.block >= $1 AND j.block < $2 AND j.status = 'COMPLETED' AND NOT j.cheated AND NOT j.on_trusted_miner
        GROUP BY m.hotkey, j.executor_class
        ORDER BY first`,
      [start, stop],
    )) as { hotkey: string; executor_class: string; n: number }[];
    return rows.map((r) => ({ minerHotkey: r.hotkey, executorClass: r.executor_class, status: 'COMPLETED', cheated: false, onTrustedMiner: false, count: r.n }));
  }

  /**
   * COMPLETED synthetic jobs of the scored batches of one cycle row, folded per (miner, executor
   * class) with the sum of their scores (1.0 each in practice, so the sum is exact).
   */
  async syntheticJobs(cycleId: string): Promise<SyntheticJobResult[]> {
    const rows = (await this.dataSource.query(
      `SELECT m.hotkey, j.executor_class, sum(j.score) AS score, min(j.id) AS first
         FROM synthetic_job j
         JOIN synthetic_job_batch b ON b.id = j.batch_id
         JOIN miner m ON m.id = j.miner_id
        WHERE b.cycle_id = $1 AND b.should_be_scored = true AND j.status = 'COMPLETED'
        GROUP BY m.hotkey, j.executor_class
        ORDER BY first`,
      [cycleId],
    )) as { hotkey: string; executor_class: string; score: number | string }[];
    return rows.map((r) => ({ minerHotkey: r.hotkey, executorClass: r.executor_class, status: 'COMPLETED', score: Number(r.score) }));
  }

  /** Stored main-hotkey rows of one 722-grid cycle (a stored null counts as an answer). */
  async mainHotkeys(coldkeys: readonly string[], cycleStart: number): Promise<Map<string, string | null>> {
    if (coldkeys.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT coldkey, main_hotkey FROM miner_main_hotkey WHERE cycle_start = $1 AND coldkey = ANY($2::text[])`,
      [cycleStart, coldkeys],
    )) as { coldkey: string; main_hotkey: string | null }[];
    return new Map(rows.map((r) => [r.coldkey, r.main_hotkey]));
  }

  /** Stores an answer once; a concurrent writer's row wins (same cycle, same question). */
  async saveMainHotkey(coldkey: string, cycleStart: number, mainHotkey: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO miner_main_hotkey (coldkey, cycle_start, main_hotkey) VALUES ($1, $2, $3) ON CONFLICT (coldkey, cycle_start) DO NOTHING`,
      [coldkey, cycleStart, mainHotkey],
    );
  }

  /** Miners of these coldkeys with their addresses, in database order. */
  async minersOfColdkeys(coldkeys: readonly string[]): Promise<MinerAddress[]> {
    if (coldkeys.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT hotkey, coldkey, address, port FROM miner WHERE coldkey = ANY($1::text[]) ORDER BY id`,
      [coldkeys],
    )) as MinerAddress[];
    return rows;
  }
}
