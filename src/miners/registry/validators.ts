/** The validator-set rule of chain-scoring-weights.md §2.5 (pure). */

export interface StakedHotkey {
  uid: number;
  hotkey: string;
  /** rao */
  stake: bigint;
}

export interface ValidatorRule {
  /** Minimum stake in rao; default 1000 TAO (MIN_VALIDATOR_STAKE). */
  minStake?: bigint;
  /** How many to keep; default 24 (VALIDATORS_LIMIT). */
  limit?: number;
  /** Hotkeys sorted before everyone else (the miners' list force-includes the BAC validator). */
  prioritize?: readonly string[];
}

export const MIN_VALIDATOR_STAKE_RAO = 1000n * 1_000_000_000n;
export const VALIDATORS_LIMIT = 24;

/**
 * Keep stake >= minStake, stable-sort by stake descending (ties keep ascending uid), take the
 * first `limit`. Prioritised hotkeys sort first (still subject to the stake threshold, as in
 * the reference's `(hotkey == BAC, stake)` key).
 */
export function selectValidators<T extends StakedHotkey>(neurons: readonly T[], rule: ValidatorRule = {}): T[] {
  const minStake = rule.minStake ?? MIN_VALIDATOR_STAKE_RAO;
  const limit = rule.limit ?? VALIDATORS_LIMIT;
  const first = new Set(rule.prioritize ?? []);
  return [...neurons]
    .sort((a, b) => a.uid - b.uid)
    .filter((n) => n.stake >= minStake)
    .sort((a, b) => {
      const pa = first.has(a.hotkey) ? 1 : 0;
      const pb = first.has(b.hotkey) ? 1 : 0;
      if (pa !== pb) return pb - pa;
      return a.stake === b.stake ? 0 : a.stake > b.stake ? -1 : 1;
    })
    .slice(0, limit);
}
