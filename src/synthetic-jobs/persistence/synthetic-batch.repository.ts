import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SyntheticJobBatch } from './synthetic-job-batch.entity';
import type { StoredReceipt } from './synthetic-job.entity';

/** A batch row as the calendar reads it. */
export interface BatchRow {
  id: string;
  block: string;
  created_at: Date;
}

/** One `synthetic_job` row of a batch's results (column names as stored). */
export interface SyntheticJobRow {
  job_uuid: string;
  miner_id: string;
  miner_address: string;
  miner_address_ip_version: number;
  miner_port: number;
  executor_class: string;
  status: string;
  comment: string;
  job_description: string;
  batch_id: string;
  score: number;
  failure_kind: string | null;
  receipts: StoredReceipt[];
}

/** One per-batch `miner_manifest` row (column names as stored). */
export interface BatchManifestRow {
  miner_id: string;
  batch_id: string;
  executor_class: string;
  executor_count: number;
  online_executor_count: number;
}

/** pg returns [rows, count] for UPDATE/INSERT ... RETURNING through TypeORM's query(); PGlite returns rows. */
function returnedRows<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}

/**
 * The `cycle` and `synthetic_job_batch` tables and a batch's results: every write of a batch's life
 * (scheduled, claimed, missed, interrupted, results stored) with the calendar's conditional updates.
 */
@Injectable()
export class SyntheticBatchRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(batchId: string): Promise<SyntheticJobBatch | null> {
    return this.dataSource.getRepository(SyntheticJobBatch).findOne({ where: { id: batchId } });
  }

  findByBlock(block: number): Promise<SyntheticJobBatch | null> {
    return this.dataSource.getRepository(SyntheticJobBatch).findOne({ where: { block: BigInt(block) as unknown as bigint } });
  }

  /** Inserts the batch row for `block` in its cycle unless one exists (debug runs); true when this call created it. */
  async insertAtBlock(block: number, cycle: { start: number; stop: number }, shouldBeScored: boolean): Promise<boolean> {
    await this.dataSource.query(`INSERT INTO cycle (start, stop) VALUES ($1, $2) ON CONFLICT (start, stop) DO NOTHING`, [cycle.start, cycle.stop]);
    const [{ id: cycleId }] = (await this.dataSource.query(`SELECT id FROM cycle WHERE start = $1 AND stop = $2`, [cycle.start, cycle.stop])) as { id: string }[];
    const inserted = (await this.dataSource.query(
      `INSERT INTO synthetic_job_batch (block, cycle_id, should_be_scored) VALUES ($1, $2, $3) ON CONFLICT (block) DO NOTHING RETURNING id`,
      [block, cycleId, shouldBeScored],
    )) as unknown[];
    return returnedRows<unknown>(inserted).length > 0;
  }

  /** The scored batch of the cycle [start, stop), if one was scheduled. */
  async scoredBatchIdInCycle(cycle: { start: number; stop: number }): Promise<string | null> {
    const existing = (await this.dataSource.query(
      `SELECT id FROM synthetic_job_batch WHERE block >= $1 AND block < $2 AND should_be_scored LIMIT 1`, [cycle.start, cycle.stop],
    )) as { id: string }[];
    return existing.length > 0 ? existing[0].id : null;
  }

  /** Schedules the cycle's batch at `block` (nothing when a batch at that block exists). */
  async schedule(block: number, cycle: { start: number; stop: number }): Promise<void> {
    await this.dataSource.query(`INSERT INTO cycle (start, stop) VALUES ($1, $2) ON CONFLICT (start, stop) DO NOTHING`, [cycle.start, cycle.stop]);
    await this.dataSource.query(
      `INSERT INTO synthetic_job_batch (block, cycle_id) SELECT $1, id FROM cycle WHERE start = $2 AND stop = $3 ON CONFLICT (block) DO NOTHING`,
      [block, cycle.start, cycle.stop],
    );
  }

  /** Unstarted batches with a block in [from, to], by block. */
  async unstartedBetween(from: number, to: number): Promise<BatchRow[]> {
    return (await this.dataSource.query(
      `SELECT id, block, created_at FROM synthetic_job_batch WHERE block >= $1 AND block <= $2 AND started_at IS NULL ORDER BY block`,
      [from, to],
    )) as BatchRow[];
  }

  /** Marks the batch started; false if another runner already did (exactly one run per batch). */
  async claim(batchId: string, at: Date): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE synthetic_job_batch SET started_at = $2 WHERE id = $1 AND started_at IS NULL RETURNING id`, [batchId, at],
    )) as unknown[];
    return returnedRows<unknown>(rows).length > 0;
  }

  /** Flags unstarted batches before `block` as missed; returns the newly flagged ones. */
  async markMissedBefore(block: number): Promise<BatchRow[]> {
    const result = (await this.dataSource.query(
      `UPDATE synthetic_job_batch SET is_missed = true WHERE block < $1 AND started_at IS NULL AND NOT is_missed RETURNING id, block, created_at`, [block],
    )) as unknown[];
    return returnedRows<BatchRow>(result);
  }

  /**
   * Sets `interrupted_at` on started batches whose results were never stored (`batchId`, or every
   * such batch when null); returns the newly flagged ones.
   */
  async markInterrupted(batchId: string | null, at: Date): Promise<{ id: string; block: string; started_at: Date }[]> {
    const result = (await this.dataSource.query(
      `UPDATE synthetic_job_batch SET interrupted_at = $2
        WHERE started_at IS NOT NULL AND accepting_results_until IS NULL AND interrupted_at IS NULL AND ($1::bigint IS NULL OR id = $1::bigint)
        RETURNING id::text AS id, block::text AS block, started_at`,
      [batchId, at],
    )) as unknown[];
    return returnedRows<{ id: string; block: string; started_at: Date }>(result);
  }

  /** A complete result without jobs (no serving miners). */
  async storeEmptyResults(batchId: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE synthetic_job_batch SET accepting_results_until = $2 WHERE id = $1`, [batchId, at]);
  }

  /** The batch's results in one transaction: the batch marked complete, its jobs and its per-batch manifests. */
  async storeResults(batchId: string, at: Date, jobs: SyntheticJobRow[], manifests: BatchManifestRow[]): Promise<void> {
    // One multi-row statement per 1000 rows (jsonb_to_recordset): thousands of jobs in well under a second.
    await this.dataSource.transaction(async (em) => {
      await em.query(`UPDATE synthetic_job_batch SET accepting_results_until = $2 WHERE id = $1`, [batchId, at]);
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
  }
}
