import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OrganicJobStatus } from './organic-job.entity';
import type { MinerIncidentType } from './miner-incident.entity';

export interface NewOrganicJobRow {
  uuid: string;
  minerHotkey: string;
  minerAddress: string;
  minerIpVersion: number;
  minerPort: number;
  executorClass: string;
  jobDescription: string;
  namespace: string | null;
  block: number | null;
  onTrustedMiner: boolean;
  streamingDetails: { public_key: string; executor_ip: string | null } | null;
  allowanceReservationId: bigint | null;
  allowanceBlocks: number[] | null;
  allowanceJobValue: number;
}

export interface OrganicJobOutcomeRow {
  status: OrganicJobStatus;
  comment: string;
  outcomeReason: string;
  stdout?: string;
  stderr?: string;
  artifacts?: Record<string, string>;
  uploadResults?: Record<string, string>;
}

/**
 * The `organic_job` and `miner_incident` rows of the miner driver (and the few `miner` reads it needs).
 * Every statement the driver and the start-up recovery make lives here.
 */
@Injectable()
export class OrganicJobRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The PENDING row of a job routed to a miner (the miner row is created when unknown, e.g. a debug miner). */
  async createPending(row: NewOrganicJobRow): Promise<void> {
    const known: unknown[] = await this.dataSource.query(`SELECT 1 FROM miner WHERE hotkey = $1`, [row.minerHotkey]);
    if (known.length === 0) await this.dataSource.query(`INSERT INTO miner (hotkey) VALUES ($1) ON CONFLICT (hotkey) DO NOTHING`, [row.minerHotkey]);
    await this.dataSource.query(
      `INSERT INTO organic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, executor_class, status, job_description,
         namespace, block, on_trusted_miner, streaming_details, allowance_reservation_id, allowance_blocks, allowance_job_value)
       SELECT $1, id, $3, $4, $5, $6, 'PENDING', $7, $8, $9, $10, $11::jsonb, $12, $13::bigint[], $14 FROM miner WHERE hotkey = $2`,
      [row.uuid, row.minerHotkey, row.minerAddress, row.minerIpVersion, row.minerPort, row.executorClass, row.jobDescription,
        row.namespace?.slice(0, 100) ?? null, row.block, row.onTrustedMiner, row.streamingDetails ? JSON.stringify(row.streamingDetails) : null,
        row.allowanceReservationId?.toString() ?? null, row.allowanceBlocks, row.allowanceJobValue]);
  }

  async saveOutcome(uuid: string, o: OrganicJobOutcomeRow): Promise<void> {
    await this.dataSource.query(
      `UPDATE organic_job SET status = $2, comment = $3, outcome_reason = $4, stdout = COALESCE($5, stdout), stderr = COALESCE($6, stderr),
         artifacts = COALESCE($7::jsonb, artifacts), upload_results = COALESCE($8::jsonb, upload_results), updated_at = now() WHERE job_uuid = $1`,
      [uuid, o.status, o.comment, o.outcomeReason.slice(0, 100), o.stdout ?? null, o.stderr ?? null,
        o.artifacts ? JSON.stringify(o.artifacts) : null, o.uploadResults ? JSON.stringify(o.uploadResults) : null]);
  }

  /** Ends a job left PENDING by an interrupted run; false when the row was already final (or absent). */
  async failIfPending(uuid: string, comment: string, outcomeReason: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE organic_job SET status = 'FAILED', comment = $2, outcome_reason = $3, updated_at = now()
        WHERE job_uuid::text = lower($1) AND status = 'PENDING' RETURNING id`,
      [uuid, comment, outcomeReason.slice(0, 100)]);
    return flatRows(rows).length > 0;
  }

  async recordIncident(type: MinerIncidentType, minerHotkey: string, uuid: string, executorClass: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO miner_incident (type, hotkey_ss58address, job_uuid, executor_class) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [type, minerHotkey, uuid, executorClass]);
  }

  /** The job a cheat report names (uuid compared in lower case), with its miner's hotkey. */
  async findForCheatReport(jobUuid: string): Promise<{ id: string; status: string; cheated: boolean; slashed: boolean; hotkey: string } | undefined> {
    const rows: { id: string; status: string; cheated: boolean; slashed: boolean; hotkey: string }[] = await this.dataSource.query(
      `SELECT j.id, j.status, j.cheated, j.slashed, m.hotkey FROM organic_job j JOIN miner m ON m.id = j.miner_id WHERE j.job_uuid::text = $1`,
      [jobUuid.toLowerCase()]);
    return rows[0];
  }

  /** Flags the job cheated; false when it already was (a concurrent report won). */
  async markCheated(id: string, at: Date): Promise<boolean> {
    const updated: unknown[] = await this.dataSource.query(
      `UPDATE organic_job SET cheated = true, cheat_reported_at = $2, updated_at = now() WHERE id = $1 AND NOT cheated RETURNING id`,
      [id, at.toISOString()]);
    return !(Array.isArray(updated) && Array.isArray(updated[0]) ? (updated[0] as unknown[]).length === 0 : updated.length === 0);
  }

  /** Validators whose receipts may excuse a decline (§6.7): the `limit` largest stakes of at least `minStakeRao`. */
  async topStakedHotkeys(minStakeRao: bigint, limit: number): Promise<string[]> {
    const rows: { hotkey: string }[] = await this.dataSource.query(
      `SELECT hotkey FROM miner WHERE in_metagraph AND stake >= $1 ORDER BY stake DESC LIMIT $2`, [minStakeRao.toString(), limit]);
    return rows.map((r) => r.hotkey);
  }
}

/** pg through TypeORM returns [rows, count] for UPDATE … RETURNING. */
export function flatRows(rows: unknown[]): unknown[] {
  return Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
}
