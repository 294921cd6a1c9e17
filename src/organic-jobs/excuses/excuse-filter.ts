import { datetimeToEpochMicros, Receipt, verifyReceiptValidatorSignature } from '../../protocol';

/** The BAC validator's hotkey is always allowed to excuse (miner-protocol.md §9.7 rule 5). */
export const BAC_VALIDATOR_SS58_ADDRESS = '5HBVrFGy6oYhhh71m9fFGYD7zbKyAeHnWN8i8s9fJTBMCtEE';

export interface ExcuseContext {
  minerHotkey: string;
  declinedJobUuid: string;
  executorClass: string;
  /** Epoch microseconds of our own JobStarted receipt for the declined job. */
  checkTimeUs: bigint;
  declinedJobIsSynthetic: boolean;
  allowedValidators: ReadonlySet<string>;
}

const LEEWAY_US = 2_000_000n;

/** Receipts from a busy decline that prove the miner is busy (organic-jobs.md §6.7, rules 1-10). Pure. */
export function filterValidExcuseReceipts(receipts: readonly Receipt[], ctx: ExcuseContext): Receipt[] {
  const seen = new Set<string>();
  const valid: Receipt[] = [];
  for (const r of receipts) {
    const p = r.payload;
    if (p.receipt_type !== 'JobStartedReceipt') continue;
    if (ctx.declinedJobIsSynthetic && !p.is_organic) continue;
    if (p.miner_hotkey !== ctx.minerHotkey) continue;
    if (p.job_uuid === ctx.declinedJobUuid) continue;
    if (!ctx.allowedValidators.has(p.validator_hotkey)) continue;
    if (p.executor_class !== ctx.executorClass) continue;
    let ts: bigint;
    try {
      ts = datetimeToEpochMicros(p.timestamp);
    } catch {
      continue;
    }
    if (!(ts < ctx.checkTimeUs)) continue;
    if (!(ctx.checkTimeUs < ts + BigInt(p.ttl) * 1_000_000n + LEEWAY_US)) continue;
    if (!verifyReceiptValidatorSignature(p, r.validator_signature)) continue;
    if (seen.has(p.job_uuid)) continue;
    seen.add(p.job_uuid);
    valid.push(r);
  }
  return valid;
}
