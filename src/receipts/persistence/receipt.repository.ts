import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobAcceptedReceiptPayload, JobFinishedReceiptPayload, JobStartedReceiptPayload, ReceiptPayload, receiptBlob } from '../../protocol';

export interface StoredStartedReceipt {
  jobUuid: string;
  minerHotkey: string;
  validatorHotkey: string;
  executorClass: string;
  isOrganic: boolean;
  ttl: number;
  timestamp: Date;
  payloadBlob: string;
  validatorSignature: string;
  minerSignature: string | null;
}

/** A receipt to insert: the payload, its signatures and (for our own) the exact signed blob. */
export interface ReceiptRowInput {
  payload: ReceiptPayload;
  validatorSignature: string;
  minerSignature: string | null;
  blob?: string;
}

const TABLE: Record<ReceiptPayload['receipt_type'], string> = {
  JobStartedReceipt: 'job_started_receipt',
  JobAcceptedReceipt: 'job_accepted_receipt',
  JobFinishedReceipt: 'job_finished_receipt',
};

/** The three receipt tables (data-model.md §7); every statement on them lives here. */
@Injectable()
export class ReceiptRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts receipts of one type (ignoring conflicts on job_uuid); returns how many rows were new. */
  async insertBatch(type: ReceiptPayload['receipt_type'], list: ReceiptRowInput[]): Promise<number> {
    const common = ['job_uuid', 'validator_hotkey', 'miner_hotkey', 'validator_signature', 'miner_signature', 'timestamp', 'payload_blob'];
    const extra = type === 'JobStartedReceipt' ? ['executor_class', 'is_organic', 'ttl'] : type === 'JobAcceptedReceipt' ? ['time_accepted', 'ttl'] : ['time_started', 'time_took_us', 'score_str', 'block_numbers'];
    const cols = [...common, ...extra];
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const r of list) {
      const p = r.payload;
      const values: unknown[] = [p.job_uuid, p.validator_hotkey, p.miner_hotkey, r.validatorSignature, r.minerSignature, p.timestamp, r.blob ?? receiptBlob(p)];
      if (p.receipt_type === 'JobStartedReceipt') {
        const s = p as JobStartedReceiptPayload;
        values.push(s.executor_class, s.is_organic, s.ttl);
      } else if (p.receipt_type === 'JobAcceptedReceipt') {
        const a = p as JobAcceptedReceiptPayload;
        values.push(a.time_accepted, a.ttl);
      } else {
        const f = p as JobFinishedReceiptPayload;
        values.push(f.time_started, f.time_took_us, f.score_str, JSON.stringify(f.block_numbers ?? []));
      }
      rows.push('(' + values.map((v) => { params.push(v); return `$${params.length}`; }).join(',') + ')');
    }
    const res: unknown = await this.dataSource.query(
      `INSERT INTO ${TABLE[type]} (${cols.join(',')}) VALUES ${rows.join(',')} ON CONFLICT (job_uuid) DO NOTHING RETURNING id`, params);
    return Array.isArray(res) ? res.length : 0;
  }

  async startedReceipt(jobUuid: string): Promise<StoredStartedReceipt | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT job_uuid, miner_hotkey, validator_hotkey, executor_class, is_organic, ttl, timestamp, payload_blob, validator_signature, miner_signature
       FROM job_started_receipt WHERE job_uuid = $1`, [jobUuid]);
    const r = rows[0];
    if (!r) return null;
    return {
      jobUuid: String(r.job_uuid), minerHotkey: String(r.miner_hotkey), validatorHotkey: String(r.validator_hotkey),
      executorClass: String(r.executor_class), isOrganic: Boolean(r.is_organic), ttl: Number(r.ttl),
      timestamp: new Date(r.timestamp as string | Date), payloadBlob: String(r.payload_blob),
      validatorSignature: String(r.validator_signature), minerSignature: (r.miner_signature as string | null) ?? null,
    };
  }

  /** The ongoing jobs behind busyExecutorCounts: job uuid -> miner hotkey. */
  async busyExecutorJobs(executorClass: string, now: Date): Promise<Map<string, string>> {
    const rows: { job_uuid: string; miner_hotkey: string }[] = await this.dataSource.query(
      `WITH started_valid AS (
         SELECT s.job_uuid, s.miner_hotkey FROM job_started_receipt s
         WHERE s.executor_class = $1 AND s.timestamp <= $2 AND s.timestamp >= $2::timestamptz - interval '2 days'
           AND $2 <= s.timestamp + make_interval(secs => s.ttl)
           AND NOT EXISTS (SELECT 1 FROM job_finished_receipt f WHERE f.job_uuid = s.job_uuid AND f.timestamp <= $2)
       ), accepted_valid AS (
         SELECT a.job_uuid, a.miner_hotkey FROM job_accepted_receipt a
         WHERE a.timestamp <= $2 AND a.timestamp >= $2::timestamptz - interval '2 days'
           AND $2 <= a.timestamp + make_interval(secs => a.ttl)
           AND EXISTS (SELECT 1 FROM job_started_receipt s WHERE s.job_uuid = a.job_uuid AND s.executor_class = $1)
           AND NOT EXISTS (SELECT 1 FROM job_finished_receipt f WHERE f.job_uuid = a.job_uuid AND f.timestamp <= $2)
           AND NOT EXISTS (SELECT 1 FROM started_valid v WHERE v.job_uuid = a.job_uuid)
       )
       SELECT job_uuid::text AS job_uuid, miner_hotkey FROM started_valid UNION ALL SELECT job_uuid::text, miner_hotkey FROM accepted_valid`,
      [executorClass, now.toISOString()]);
    return new Map(rows.map((r) => [r.job_uuid, r.miner_hotkey]));
  }
}
