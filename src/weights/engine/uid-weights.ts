import { BurnConfig, BurnEvent, applyDancingBurners } from './burn';
import { NeuronRef, normalizeBatchScores } from './process-weights';
import type { HotkeyScores } from './types';

export interface SubnetWeightLimits {
  minAllowedWeights: number;
  maxWeightsLimit: number;
}

export interface UidWeightsResult {
  uids: number[];
  /** The float weights as the reference hands them on (`.tolist()` of float32/float64 values). */
  weights: number[];
  burn: BurnEvent;
}

/** Scores -> uid weights -> burn, as `set_scores` does between scoring and submission. [CONSENSUS] */
export function scoresToUidWeights(
  scores: HotkeyScores,
  neurons: readonly NeuronRef[],
  limits: SubnetWeightLimits,
  burn: BurnConfig,
  burnSeed: number,
): UidWeightsResult {
  const normalized = normalizeBatchScores(scores, neurons, limits.minAllowedWeights, limits.maxWeightsLimit);
  const burned = applyDancingBurners(normalized, neurons, burnSeed, burn, limits.minAllowedWeights, limits.maxWeightsLimit);
  return { uids: burned.uids, weights: burned.weights.data, burn: burned.event };
}
