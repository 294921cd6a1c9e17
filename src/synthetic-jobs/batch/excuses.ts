import type { ExecutorClass } from '../../protocol/executor-class';
import { datetimeToEpochMicros } from '../../protocol/datetime';
import { verifyReceiptValidatorSignature, type Receipt } from '../../protocol/receipts';

/** Excuse receipts of a "busy" decline (miner-protocol.md §9.7, scoring-synthetic-era.md §5.5). Pure. */
export const EXCUSE_LEEWAY_MICROS = 2_000_000n;

export interface ExcuseCheck {
  /** Timestamp of the declined job's own JobStarted receipt (canonical datetime). */
  checkTime: string;
  declinedJobUuid: string;
  minerHotkey: string;
  executorClass: ExecutorClass;
  /** Validators whose receipts may excuse (stake-qualified active validators, BAC, this validator). */
  allowedValidators: ReadonlySet<string>;
  /** Synthetic declines are excused only by organic work. */
  requireOrganic: boolean;
  /**
   * Rule 10 (skip a repeated job_uuid). The synthetic-era reference (the version we follow) does not
   * apply it; miner-protocol.md §9.7 (later version) does.
   */
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

export interface ActiveValidator {
  hotkey: string;
  /** As stored for the metagraph (raw rao, scoring-synthetic-era.md §5.1 QUIRK). */
  stake: bigint;
}

/**
 * Allowed excuse signers: active validators whose stake ≥ the minimum, the BAC validator when
 * active, and this validator. Stakes compared raw (rao) against the alpha-denominated threshold, as
 * the synthetic-era reference does.
 */
export function allowedExcuseValidators(active: readonly ActiveValidator[], minimumStake: number, ownHotkey: string, bacHotkey: string): Set<string> {
  const out = new Set<string>([ownHotkey]);
  for (const v of active) {
    if (v.hotkey === bacHotkey || Number(v.stake) >= minimumStake) out.add(v.hotkey);
  }
  return out;
}
