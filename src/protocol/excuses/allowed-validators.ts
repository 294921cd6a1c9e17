/** The BAC validator's hotkey: it may always excuse (miner-protocol.md §9.7 rule 5). */
export const BAC_VALIDATOR_SS58_ADDRESS = '5HBVrFGy6oYhhh71m9fFGYD7zbKyAeHnWN8i8s9fJTBMCtEE';

/**
 * Who may sign an excuse. The reference's two rules really differ:
 * - organic declines (organic-jobs.md §6.7): the ORGANIC_EXCUSE_VALIDATOR_LIMIT largest stakes in the
 *   metagraph of at least the minimum (DYNAMIC_MINIMUM_VALIDATOR_STAKE_FOR_EXCUSE in TAO, compared in rao),
 *   plus the BAC validator always, plus this validator;
 * - synthetic declines (scoring-synthetic-era.md §5.5): every active validator whose raw stake (rao)
 *   is >= the minimum taken as a plain number (the synthetic-era QUIRK, §5.1), the BAC validator only
 *   when active, plus this validator; no limit.
 */
export const ORGANIC_EXCUSE_VALIDATOR_LIMIT = 24;

/** The organic stake floor in rao for `minimumStakeTao`. */
export function organicExcuseStakeFloorRao(minimumStakeTao: number): bigint {
  return BigInt(Math.ceil(minimumStakeTao * 1e9));
}

/** Organic rule: `topStaked` (the largest stakes at or above the floor, at most the limit), BAC, this validator. */
export function organicExcuseValidators(topStaked: readonly string[], ownHotkey: string): Set<string> {
  return new Set([...topStaked, BAC_VALIDATOR_SS58_ADDRESS, ownHotkey]);
}

export interface ActiveValidator {
  hotkey: string;
  /** As stored for the metagraph (raw rao, scoring-synthetic-era.md §5.1 QUIRK). */
  stake: bigint;
}

/**
 * Synthetic rule: active validators whose stake ≥ the minimum, the BAC validator when active, and this
 * validator. Stakes compared raw (rao) against the alpha-denominated threshold, as the synthetic-era
 * reference does.
 */
export function allowedExcuseValidators(active: readonly ActiveValidator[], minimumStake: number, ownHotkey: string, bacHotkey: string): Set<string> {
  const out = new Set<string>([ownHotkey]);
  for (const v of active) {
    if (v.hotkey === bacHotkey || Number(v.stake) >= minimumStake) out.add(v.hotkey);
  }
  return out;
}
