import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthService } from '../health.service';

type Row = Record<string, unknown>;

export interface StatusSnapshot {
  generatedAt: string;
  health: { name: string; ok: boolean; critical: boolean; detail?: string }[];
  cycle: Row | null;
  nextBatch: Row | null;
  batches: { batch: Row; miners: Row[] }[];
  /** The last weights row (uids, u16 weights, scores by hotkey, status on chain). */
  lastWeights: Row | null;
  /** Per neuron: synthetic and organic totals and its share in the last weights. */
  miners: Row[];
  organicJobs: Row[];
  systemEvents: Row[];
}

/**
 * Read-only view of what the validator is doing, for the status page. It reads the tables the job
 * modules publish (their READMEs), so a module that is not installed simply shows no rows.
 */
@Injectable()
export class StatusSnapshotService {
  private readonly logger = new Logger(StatusSnapshotService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthService,
  ) {}

  async snapshot(): Promise<StatusSnapshot> {
    const healthResult = await this.health.evaluate(1500);
    const tables = await this.existingTables();
    const has = (t: string) => tables.has(t);
    const [cycle, nextBatch, batches, lastWeights, miners, organicJobs, systemEvents] = await Promise.all([
      has('cycle') ? this.one(`SELECT id, start, stop FROM cycle ORDER BY start DESC LIMIT 1`) : null,
      has('synthetic_job_batch')
        ? this.one(`SELECT id, block, created_at, started_at FROM synthetic_job_batch WHERE started_at IS NULL AND NOT is_missed ORDER BY block ASC LIMIT 1`)
        : null,
      has('synthetic_job_batch') && has('synthetic_job') ? this.batches() : [],
      has('weights')
        ? this.one(`SELECT id, cycle_start, cycle_stop, mode, status, block, uids, weights, scores, updated_at FROM weights ORDER BY id DESC LIMIT 1`)
        : null,
      this.minerSummary(has),
      has('organic_job')
        ? this.many(`SELECT o.job_uuid, m.hotkey AS miner_hotkey, o.executor_class, o.status, o.comment, o.updated_at
                     FROM organic_job o LEFT JOIN miner m ON m.id = o.miner_id ORDER BY o.id DESC LIMIT 20`)
        : [],
      this.many(`SELECT id, type, subtype, timestamp, long_description FROM system_event ORDER BY id DESC LIMIT 30`),
    ]);
    return {
      generatedAt: new Date().toISOString(),
      health: Object.entries(healthResult.checks).map(([name, c]) => ({ name, ok: c.ok, critical: c.critical, detail: c.detail })),
      cycle,
      nextBatch,
      batches,
      lastWeights,
      miners: this.withWeights(miners, lastWeights),
      organicJobs,
      systemEvents,
    };
  }

  private async batches(): Promise<{ batch: Row; miners: Row[] }[]> {
    const batches = await this.many(`SELECT id, block, started_at, should_be_scored, is_missed FROM synthetic_job_batch WHERE started_at IS NOT NULL ORDER BY block DESC LIMIT 3`);
    return Promise.all(
      batches.map(async (batch) => ({
        batch,
        miners: await this.many(
          `SELECT m.hotkey AS miner_hotkey, j.executor_class,
                  count(*) AS sent,
                  count(*) FILTER (WHERE j.status = 'COMPLETED') AS completed,
                  count(*) FILTER (WHERE j.status = 'EXCUSED') AS excused,
                  count(*) FILTER (WHERE j.status = 'FAILED') AS failed,
                  string_agg(DISTINCT j.failure_kind, ', ') AS failure_kinds
           FROM synthetic_job j JOIN miner m ON m.id = j.miner_id
           WHERE j.batch_id = $1 GROUP BY m.hotkey, j.executor_class ORDER BY m.hotkey`,
          [batch.id],
        ),
      })),
    );
  }

  private async minerSummary(has: (t: string) => boolean): Promise<Row[]> {
    const count = (table: string, where: string) =>
      has(table) ? `(SELECT count(*) FROM ${table} j WHERE j.miner_id = m.id AND ${where})::int` : '0';
    return this.many(
      `SELECT m.uid, m.hotkey, m.in_metagraph,
              ${count('synthetic_job', `j.status = 'COMPLETED'`)} AS synthetic_completed,
              ${count('synthetic_job', `j.status = 'EXCUSED'`)} AS synthetic_excused,
              ${count('synthetic_job', `j.status = 'FAILED'`)} AS synthetic_failed,
              ${count('organic_job', `j.status = 'COMPLETED'`)} AS organic_completed,
              ${count('organic_job', `j.status <> 'COMPLETED'`)} AS organic_not_completed
       FROM miner m WHERE m.uid IS NOT NULL ORDER BY m.uid`,
    );
  }

  private withWeights(miners: Row[], weights: Row | null): Row[] {
    const uids = (weights?.uids as number[] | undefined) ?? [];
    const values = (weights?.weights as number[] | undefined) ?? [];
    const scores = (weights?.scores as Record<string, number> | undefined) ?? {};
    return miners.map((m) => {
      const i = uids.indexOf(Number(m.uid));
      return { ...m, score: scores[String(m.hotkey)] ?? null, weight: i >= 0 ? values[i] : null };
    });
  }

  private async existingTables(): Promise<Set<string>> {
    const rows = await this.many(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`);
    return new Set(rows.map((r) => String(r.tablename)));
  }

  private async one(sql: string, params: unknown[] = []): Promise<Row | null> {
    return (await this.many(sql, params))[0] ?? null;
  }

  private async many(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.dataSource.query(sql, params)) as Row[];
    } catch (e) {
      // A module whose table changed shape must not take the status page down.
      this.logger.warn({ err: e }, 'status query failed');
      return [];
    }
  }
}
