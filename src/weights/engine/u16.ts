/**
 * From float weights to the u16 values the chain stores, with Python's rounding (pure).
 *   u16ForCommit: hash commit-reveal path (bittensor SDK 9.9 commit_weights), round(w × (max / max(w))).
 *   u16ForSetWeights: set_weights and timelocked paths (turbobt _normalize), round(w / max(w) × 65535).
 */

import { U16_MAX } from './process-weights';

/** Python 3 round(): nearest integer, exact halves to the even neighbour. */
export function pyRound(x: number): number {
  if (!Number.isFinite(x)) throw new Error(`cannot round ${x}`);
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The factor is computed first, like the SDK. All-zero or empty weights cannot be scaled: the
 * reference fails there, we throw a clear error so the caller can skip the submission.
 */
export function u16ForCommit(weights: readonly number[], maxWeight = U16_MAX): number[] {
  const m = maxOf(weights);
  if (m <= 0) throw new Error('all weights are zero: nothing to commit');
  const factor = maxWeight / m;
  return weights.map((w) => clampU16(pyRound(w * factor)));
}

/** All zeros stay zeros. Keeps the input order. */
export function u16ForSetWeights(weights: readonly number[]): number[] {
  const m = maxOf(weights);
  if (m <= 0) return weights.map(() => 0);
  return weights.map((w) => clampU16(pyRound((w / m) * U16_MAX)));
}

function maxOf(weights: readonly number[]): number {
  let m = 0;
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) throw new Error(`weights must be finite and non-negative, got ${w}`);
    if (w > m) m = w;
  }
  return m;
}

function clampU16(v: number): number {
  return Math.min(U16_MAX, Math.max(0, v));
}
