import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Rows of other modules' tables (miner, cycle, synthetic_job_batch, synthetic_job, organic_job)
 * as their READMEs describe them, for scoring tests and the benchmark.
 */
type Status = 'COMPLETED' | 'FAILED' | 'EXCUSED' | 'PENDING';
const SPIN_UP = 'spin_up-4min.gpu-24gb';

export async function insertMiner(ds: DataSource, m: { hotkey: string; coldkey?: string | null; uid?: number; address?: string; port?: number }): Promise<string> {
  const rows = (await ds.query(`INSERT INTO miner (hotkey, coldkey, uid, address, port) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id`, [
    m.hotkey,
    m.coldkey ?? null,
    m.uid ?? null,
    m.address ?? '0.0.0.0',
    m.port ?? 0,
  ])) as { id: string }[];
  return rows[0].id;
}

export async function insertCycle(ds: DataSource, start: number, stop: number): Promise<string> {
  const rows = (await ds.query(`INSERT INTO cycle (start, stop) VALUES ($1, $2) RETURNING id::text AS id`, [start, stop])) as { id: string }[];
  return rows[0].id;
}

export async function insertBatch(
  ds: DataSource,
  b: { block: number; cycleId: string; startedAt?: Date | null; scored?: boolean; shouldBeScored?: boolean; resultsStored?: boolean },
): Promise<string> {
  const startedAt = b.startedAt === undefined ? new Date() : b.startedAt;
  const rows = (await ds.query(
    `INSERT INTO synthetic_job_batch (block, cycle_id, started_at, accepting_results_until, scored, should_be_scored) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
    [b.block, b.cycleId, startedAt, startedAt !== null && (b.resultsStored ?? true) ? startedAt : null, b.scored ?? false, b.shouldBeScored ?? true],
  )) as { id: string }[];
  return rows[0].id;
}

export async function insertSyntheticJob(ds: DataSource, j: { minerId: string; batchId: string; score: number; status?: Status; executorClass?: string }): Promise<void> {
  await ds.query(
    `INSERT INTO synthetic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, executor_class, status, batch_id, score)
     VALUES ($1, $2, '127.0.0.2', 4, 8000, $3, $4, $5, $6)`,
    [randomUUID(), j.minerId, j.executorClass ?? SPIN_UP, j.status ?? 'COMPLETED', j.batchId, j.score],
  );
}

export async function insertOrganicJob(
  ds: DataSource,
  j: { minerId: string; block: number; status?: Status; cheated?: boolean; onTrustedMiner?: boolean; executorClass?: string },
): Promise<void> {
  await ds.query(
    `INSERT INTO organic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, executor_class, status, cheated, on_trusted_miner, block)
     VALUES ($1, $2, '127.0.0.2', 4, 8000, $3, $4, $5, $6, $7)`,
    [randomUUID(), j.minerId, j.executorClass ?? SPIN_UP, j.status ?? 'COMPLETED', j.cheated ?? false, j.onTrustedMiner ?? false, j.block],
  );
}

export async function eventsOf(ds: DataSource): Promise<{ type: string; subtype: string; data: Record<string, unknown>; long_description: string }[]> {
  return (await ds.query(`SELECT type, subtype, data, long_description FROM system_event ORDER BY id`)) as never;
}
