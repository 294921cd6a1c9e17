import { datetimeToEpochMicros } from '../datetime';
import { verifyReceiptValidatorSignature, type Receipt } from '../receipts';

/**
 * Excuse receipts of a "busy" decline (miner-protocol.md §9.7, organic-jobs.md §6.7,
 * scoring-synthetic-era.md §5.5), for organic and synthetic declines alike. Pure.
 */
export const EXCUSE_LEEWAY_MICROS = 2_000_000n;

/**
 * Where the reference's rules for the two kinds of declined job differ (the rest is shared):
 * - organic: any JobStarted receipt excuses (organic or synthetic work), and a repeated job_uuid counts
 *   once (§9.7 rule 10);
 * - synthetic: only organic work excuses, and the synthetic-era reference (the version we follow) counts
 *   a repeated job_uuid again (the batch's `rejectDuplicateExcuses` switch gives the later behaviour).
 * Who may sign an excuse differs too: see allowed-validators.ts.
 */
export const EXCUSE_RULES = {
  organic: { requireOrganic: false, rejectDuplicates: true },
  synthetic: { requireOrganic: true, rejectDuplicates: false },
} as const satisfies Record<string, Pick<ExcuseCheck, 'requireOrganic' | 'rejectDuplicates'>>;

export interface ExcuseCheck {
  /** Timestamp of the declined job's own JobStarted receipt (canonical datetime). */
  checkTime: string;
  declinedJobUuid: string;
  minerHotkey: string;
  executorClass: string;
  /** Validators whose receipts may excuse (allowed-validators.ts). */
  allowedValidators: ReadonlySet<string>;
  /** Only organic work excuses (synthetic declines). */
  requireOrganic: boolean;
  /** Rule 10: a repeated job_uuid counts once. */
  rejectDuplicates: boolean;
}

/** The receipts that are valid excuses, in order. */
export function filterValidExcuseReceipts(receipts: readonly Receipt[], check: ExcuseCheck): Receipt[] {
  const checkMicros = datetimeToEpochMicros(check.checkTime);
  const seen = new Set<string>();
  const valid: Receipt[] = [];
  for (const r of receipts) {
    const p = r.payload;
    if (p.receipt_type !== 'JobStartedReceipt') continue;
    if (check.requireOrganic && !p.is_organic) continue;
    if (p.miner_hotkey !== check.minerHotkey) continue;
    if (p.job_uuid === check.declinedJobUuid) continue;
    if (!check.allowedValidators.has(p.validator_hotkey)) continue;
    if (p.executor_class !== check.executorClass) continue;
    let ts: bigint;
    try {
      ts = datetimeToEpochMicros(p.timestamp);
    } catch {
      continue;
    }
    if (!(ts < checkMicros)) continue;
    if (!(checkMicros < ts + BigInt(p.ttl) * 1_000_000n + EXCUSE_LEEWAY_MICROS)) continue;
    if (!verifyReceiptValidatorSignature(p, r.validator_signature)) continue;
    if (check.rejectDuplicates && seen.has(p.job_uuid)) continue;
    seen.add(p.job_uuid);
    valid.push(r);
  }
  return valid;
}
