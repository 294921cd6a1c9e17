import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Receipt, ReceiptPayload, receiptBlob, verifyBlob } from '../protocol';
import { Batcher } from './batcher';
import { ReceiptRepository, type StoredStartedReceipt } from './persistence/receipt.repository';

export type { StoredStartedReceipt } from './persistence/receipt.repository';

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

  constructor(private readonly rows: ReceiptRepository) {}

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
        inserted += await this.rows.insertBatch(type as ReceiptPayload['receipt_type'], list.slice(i, i + 1000));
      }
    }
    return inserted;
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
    return this.rows.startedReceipt(jobUuid);
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
    return this.rows.busyExecutorJobs(executorClass, now);
  }
}
