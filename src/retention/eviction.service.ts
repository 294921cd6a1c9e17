import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { Clock } from '../config/clock';
import { ExclusiveRunner } from '../database/exclusive-runner.service';

const DAY_MS = 24 * 3600 * 1000;
export const RETENTION_MS = 2 * DAY_MS;
/** Unsent system events are kept longer than sent ones: the stats collector may have been down. */
export const UNSENT_EVENT_RETENTION_MS = 7 * DAY_MS;

export interface EvictionStep {
  what: string;
  table: string;
  /** SQL condition on the table; $1 is the cutoff. */
  where: string;
  retentionMs: number;
}

/** data-model.md §10.1, in the reference's order. Steps whose table does not exist are skipped. */
export const EVICTION_STEPS: EvictionStep[] = [
  { what: 'organic jobs', table: 'organic_job', where: 'updated_at < $1', retentionMs: RETENTION_MS },
  { what: 'job started receipts', table: 'job_started_receipt', where: 'timestamp < $1', retentionMs: RETENTION_MS },
  { what: 'job accepted receipts', table: 'job_accepted_receipt', where: 'timestamp < $1', retentionMs: RETENTION_MS },
  { what: 'job finished receipts', table: 'job_finished_receipt', where: 'timestamp < $1', retentionMs: RETENTION_MS },
  { what: 'synthetic batches (and their jobs and manifests)', table: 'synthetic_job_batch', where: 'created_at < $1', retentionMs: RETENTION_MS },
  { what: 'used prompt samples', table: 'prompt_sample', where: 'used_at < $1', retentionMs: RETENTION_MS },
  {
    what: 'dangling solve workloads',
    table: 'solve_workload',
    where: 'created_at < $1 AND NOT EXISTS (SELECT 1 FROM prompt_sample s WHERE s.workload_id = solve_workload.id)',
    retentionMs: RETENTION_MS,
  },
  { what: 'sent system events', table: 'system_event', where: 'sent AND timestamp < $1', retentionMs: RETENTION_MS },
  { what: 'unsent system events', table: 'system_event', where: 'NOT sent AND timestamp < $1', retentionMs: UNSENT_EVENT_RETENTION_MS },
  { what: 'expired blacklist entries', table: 'miner_blacklist', where: 'expires_at < $1', retentionMs: RETENTION_MS },
  // Ours: the organic-jobs journal. Unfinished requests and unanswered updates are kept whatever their age.
  { what: 'ended organic job requests', table: 'organic_job_request', where: 'ended_at < $1', retentionMs: RETENTION_MS },
  { what: 'answered facilitator status updates', table: 'facilitator_outbox', where: 'acked_at < $1', retentionMs: RETENTION_MS },
];

export interface EvictionReport {
  what: string;
  deleted: number;
}

/** Daily data retention (reference: evict_old_data). `validator-cli evict-old-data` runs it once. */
@Injectable()
export class EvictionService {
  private readonly logger = new Logger(EvictionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly exclusive: ExclusiveRunner,
  ) {}

  @Cron('17 3 * * *', { name: 'evict_old_data' })
  async scheduled(): Promise<void> {
    const result = await this.exclusive.runExclusive('evict_old_data', () => this.evict());
    if (result.ran) this.logger.log({ deleted: result.value }, 'old data evicted');
  }

  /** Each step is its own bulk delete: one failing step does not stop the others. */
  async evict(): Promise<EvictionReport[]> {
    const tables = new Set(
      ((await this.dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)) as { tablename: string }[]).map((r) => r.tablename),
    );
    const report: EvictionReport[] = [];
    for (const step of EVICTION_STEPS) {
      if (!tables.has(step.table)) continue;
      const cutoff = new Date(this.clock.now() - step.retentionMs);
      try {
        const result = (await this.dataSource.query(`DELETE FROM ${step.table} WHERE ${step.where}`, [cutoff.toISOString()])) as [unknown, number];
        report.push({ what: step.what, deleted: Number(result[1] ?? 0) });
      } catch (e) {
        this.logger.error({ err: e, step: step.what }, 'eviction step failed');
        report.push({ what: step.what, deleted: -1 });
      }
    }
    return report;
  }
}
