import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  JobAcceptedReceiptPayload, JobFinishedReceiptPayload, JobStartedReceiptPayload, Receipt, ReceiptPayload,
  receiptBlob, verifyBlob,
} from '../protocol';
import { Batcher } from './batcher';

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

const TABLE: Record<ReceiptPayload['receipt_type'], string> = {
  JobStartedReceipt: 'job_started_receipt',
  JobAcceptedReceipt: 'job_accepted_receipt',
  JobFinishedReceipt: 'job_finished_receipt',
};

/**
 * Receipt storage (data-model.md §7, miner-protocol.md §10). Every row keeps the exact signed blob;
 * inserts ignore conflicts on job_uuid, so our own copy (no miner signature) is never overwritten.
 */
@Injectable()
export class ReceiptsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ReceiptsService.name);
  /** Own receipts are written in bursts (a few ms) rather than one INSERT each. */
  private readonly ownWriter = new Batcher<{ payload: ReceiptPayload; validatorSignature: string; minerSignature: string | null; blob?: string }, void>(async (items) => {
    await this.store(items);
    return items.map(() => undefined);
  });

  constructor(private readonly dataSource: DataSource) {}

  /** Receipts queued for a burst are written before the database closes (fire-and-forget callers). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.ownWriter.drain();
  }

  /** Stores receipts; returns how many rows were new. */
  async store(receipts: { payload: ReceiptPayload; validatorSignature: string; minerSignature: string | null; blob?: string }[]): Promise<number> {
    let inserted = 0;
    const byType = new Map<string, typeof receipts>();
    for (const r of receipts) {
      const t = r.payload.receipt_type;
      byType.set(t, [...(byType.get(t) ?? []), r]);
    }
    for (const [type, list] of byType) {
      for (let i = 0; i < list.length; i += 1000) {
        inserted += await this.insertBatch(type as ReceiptPayload['receipt_type'], list.slice(i, i + 1000));
      }
    }
    return inserted;
  }

  private async insertBatch(type: ReceiptPayload['receipt_type'], list: { payload: ReceiptPayload; validatorSignature: string; minerSignature: string | null; blob?: string }[]): Promise<number> {
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

  /** Stores a receipt this validator just signed (validator signature only). Never throws; returns false on error. */
  async storeOwn(payload: ReceiptPayload, blob: string, validatorSignature: string): Promise<boolean> {
    try {
      await this.ownWriter.add({ payload, validatorSignature, minerSignature: null, blob });
      return true;
    } catch (e) {
      this.logger.error({ err: e, jobUuid: payload.job_uuid, type: payload.receipt_type }, 'could not store own receipt');
      return false;
    }
  }

  /** Stores receipts fetched from miners after checking both signatures; returns [stored, invalid]. */
  async storeVerified(receipts: Receipt[]): Promise<{ stored: number; invalid: number }> {
    const good = receipts.filter((r) => this.verifies(r));
    const stored = good.length ? await this.store(good.map((r) => ({ payload: r.payload, validatorSignature: r.validator_signature, minerSignature: r.miner_signature ?? null }))) : 0;
    return { stored, invalid: receipts.length - good.length };
  }

  verifies(r: Receipt): boolean {
    const blob = receiptBlob(r.payload);
    return verifyBlob(blob, r.validator_signature, r.payload.validator_hotkey) && verifyBlob(blob, r.miner_signature, r.payload.miner_hotkey);
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

  /**
   * Ongoing jobs per miner hotkey for an executor class at `now` (organic-jobs.md §5.5): started receipts
   * valid now and not finished, plus accepted receipts valid now whose started receipt (of that class)
   * is no longer valid, not finished. Jobs in `excludeJobUuids` are not counted.
   */
  async busyExecutorCounts(executorClass: string, now: Date, excludeJobUuids: string[] = []): Promise<Map<string, number>> {
    const exclude = new Set(excludeJobUuids);
    const counts = new Map<string, number>();
    for (const [uuid, hk] of await this.busyExecutorJobs(executorClass, now)) if (!exclude.has(uuid)) counts.set(hk, (counts.get(hk) ?? 0) + 1);
    return counts;
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
