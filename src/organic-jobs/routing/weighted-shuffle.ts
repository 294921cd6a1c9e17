/**
 * Reliability-weighted shuffle (organic-jobs.md §5.4): logistic pick weights around `center`, then
 * successive sampling without replacement (Efraimidis–Spirakis keys u^(1/p), sorted descending).
 */
export function pickProbabilities(weights: readonly number[], center: number, steepness: number): number[] {
  if (weights.length === 0) return [];
  const k = steepness / -center;
  const p = weights.map((w) => {
    const z = Math.min(500, Math.max(-500, -k * (w - center)));
    const v = 1 / (1 + Math.exp(z));
    return Math.min(1 - 1e-6, Math.max(1e-6, Number.isFinite(v) ? v : 1e-6));
  });
  const sum = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / sum);
}

export function weightedShuffle<T>(
  items: readonly T[],
  weights: readonly number[],
  center: number,
  steepness: number,
  random: () => number = Math.random,
): { order: T[]; probabilities: number[] } {
  if (items.length !== weights.length) throw new Error(`weightedShuffle: ${items.length} items but ${weights.length} weights`);
  const p = pickProbabilities(weights, center, steepness);
  const keyed = items.map((item, i) => {
    // log(u)/p ranks like u^(1/p) without underflow for tiny p.
    const u = Math.max(random(), Number.MIN_VALUE);
    return { item, p: p[i], key: Math.log(u) / p[i] };
  });
  keyed.sort((a, b) => b.key - a.key);
  return { order: keyed.map((k) => k.item), probabilities: keyed.map((k) => k.p) };
}
