import { pyRound } from './python-round';
import { U16_MAX } from './process-weights';

/**
 * Float weights to the u16 values that go on chain. Two conversions exist in the reference and
 * they differ in the order of operations, so both are kept. [WIRE/CONSENSUS]
 */

/** Hash commit path (`_normalize_weights_for_committing`): factor first, then multiply. */
export function u16ForCommit(weights: readonly number[], maxWeight = U16_MAX): number[] {
  const m = Math.max(...weights);
  if (!(m > 0)) throw new RangeError('all weights are zero: nothing to commit');
  const factor = maxWeight / m;
  return weights.map((w) => pyRound(w * factor));
}

/** turbobt `_normalize` (direct set_weights): divide by the max, then scale; all zeros stay zeros. */
export function u16ForSetWeights(weights: readonly number[]): number[] {
  const m = Math.max(...weights);
  if (m === 0) return weights.map(() => 0);
  return weights.map((w) => pyRound((w / m) * U16_MAX));
}
