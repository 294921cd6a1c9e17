import { FloatArray, castTo, floatArray, mapInDtype, mapWithScalar, npCumsum, npMax, npSum } from './numpy-like';

/**
 * bittensor 9.9.0 `weight_utils.normalize_max_weight` / `process_weights` and the reference's
 * `normalize_batch_scores` (chain-scoring-weights.md §5.3), on NumPy 2 semantics:
 * float32 where the reference holds float32 arrays, float64 where numpy promotes. [CONSENSUS]
 */

const EPSILON = 1e-7;
export const U16_MAX = 65535;

export interface UidWeights {
  uids: number[];
  weights: FloatArray;
}

/** `u16_normalized_float`: the chain's max_weights_limit as a fraction. */
export function u16NormalizedFloat(x: number): number {
  return x / U16_MAX;
}

export function normalizeMaxWeight(x: FloatArray, limit: number): FloatArray {
  const n = x.data.length;
  const dt = x.dtype;
  const weights = [...x.data];
  const values = [...x.data].sort((a, b) => a - b);
  if (npSum(x) === 0 || n * limit <= 1) {
    return mapInDtype(x, () => 1 / n);
  }
  const valuesArr: FloatArray = { dtype: dt, data: values };
  const valuesSum = npSum(valuesArr);
  const estimation = mapInDtype(valuesArr, (v) => v / valuesSum);
  const limitD = castTo(dt, limit);
  if (npMax(estimation) <= limitD) {
    const s = npSum(x);
    return mapInDtype(x, (w) => w / s);
  }
  const cumsum = npCumsum(estimation);
  const estimationSum = mapInDtype(estimation, (e, i) => (n - i - 1) * e);
  const eps = castTo(dt, EPSILON);
  let nValues = 0;
  for (let i = 0; i < n; i++) {
    const denom = castTo(dt, castTo(dt, estimationSum.data[i] + cumsum.data[i]) + eps);
    if (castTo(dt, estimation.data[i] / denom) < limitD) nValues++;
  }
  // Python indexing: cumsum[-1] when nValues is 0.
  const c = cumsum.data[nValues - 1 >= 0 ? nValues - 1 : n + nValues - 1];
  const numerator = castTo(dt, castTo(dt, limitD * c) - eps);
  // `limit * (len - n_values)` multiplies a Python float by an np.int64: float64, and so is the
  // quotient and the cutoff; weights are compared with it in float64 and only the stored cutoff
  // takes the array's dtype.
  const denominator = 1 - limit * (n - nValues);
  const cutoffScale = numerator / denominator;
  const cutoff = cutoffScale * valuesSum;
  const stored = castTo(dt, cutoff);
  const clipped: FloatArray = { dtype: dt, data: weights.map((w) => (w > cutoff ? stored : w)) };
  const s = npSum(clipped);
  return mapInDtype(clipped, (w) => w / s);
}

/** `process_weights(uids, weights, num_neurons, min_allowed_weights, max_weight_limit)`, exclude_quantile 0. */
export function processWeights(
  uids: readonly number[],
  input: FloatArray,
  numNeurons: number,
  minAllowedWeights: number,
  maxWeightLimit: number,
): UidWeights {
  // The reference casts to float32 first (`weights.astype(np.float32)`): after a burn appended a
  // uid the array arrives as float64.
  const weights = floatArray('float32', input.data);
  const nonZeroIdx: number[] = [];
  weights.data.forEach((w, i) => {
    if (w > 0) nonZeroIdx.push(i);
  });
  const arange = Array.from({ length: numNeurons }, (_, i) => i);
  if (nonZeroIdx.length === 0 || numNeurons < minAllowedWeights) {
    // np.ones(n, dtype=int64) / n is float64.
    return { uids: arange, weights: floatArray('float64', arange.map(() => 1 / numNeurons)) };
  }
  if (nonZeroIdx.length < minAllowedWeights) {
    const padded = arange.map(() => 1e-5);
    for (const i of nonZeroIdx) {
      if (i >= numNeurons) throw new RangeError(`index ${i} is out of bounds for axis 0 with size ${numNeurons}`);
      padded[i] = padded[i] + weights.data[i];
    }
    const normalized = normalizeMaxWeight(floatArray('float64', padded), maxWeightLimit);
    return { uids: arange.slice(0, normalized.data.length), weights: normalized };
  }
  const nzUids = nonZeroIdx.map((i) => uids[i]);
  const nzWeights: FloatArray = { dtype: weights.dtype, data: nonZeroIdx.map((i) => weights.data[i]) };
  return { uids: nzUids, weights: normalizeMaxWeight(nzWeights, maxWeightLimit) };
}

export interface NeuronRef {
  hotkey: string;
  uid: number;
}

/**
 * `normalize_batch_scores`: hotkey scores to uid weights over `neurons` (neuron order).
 * Unknown hotkeys are dropped; with nothing mapped, every uid with weight 0 and no processing.
 */
export function normalizeBatchScores(
  scores: ReadonlyMap<string, number>,
  neurons: readonly NeuronRef[],
  minAllowedWeights: number,
  maxWeightsLimit: number,
): UidWeights {
  const hotkeyToUid = new Map(neurons.map((n) => [n.hotkey, n.uid]));
  const scorePerUid = new Map<number, number>();
  for (const [hotkey, score] of scores) {
    const uid = hotkeyToUid.get(hotkey);
    if (uid === undefined) continue;
    scorePerUid.set(uid, score);
  }
  const uids = neurons.map((n) => n.uid);
  const weights = floatArray('float32', neurons.map((n) => scorePerUid.get(n.uid) ?? 0));
  if (scorePerUid.size === 0) return { uids, weights };
  return processWeights(uids, weights, neurons.length, minAllowedWeights, u16NormalizedFloat(maxWeightsLimit));
}
