import { floatArray, npSum } from './numpy-like';
import { normalizeMaxWeight, processWeights, normalizeBatchScores } from './process-weights';
import { pyRound } from './u16';

// chain-scoring-weights.md §9.10 (derived by running the reference algorithms).
describe('normalize_max_weight', () => {
  test('[1,2,3,4] with limit 0.3', () => {
    const out = normalizeMaxWeight(floatArray('float32', [1, 2, 3, 4]), 0.3);
    expect(out.dtype).toBe('float32');
    [0.1333334, 0.2666668, 0.2999999, 0.2999999].forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 6));
  });

  test('[1,1,1,10] with limit 0.5', () => {
    const out = normalizeMaxWeight(floatArray('float32', [1, 1, 1, 10]), 0.5);
    [0.1666667, 0.1666667, 0.1666667, 0.4999998].forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 6));
  });

  test('limit 1.0 just divides by the sum (in float32)', () => {
    const out = normalizeMaxWeight(floatArray('float32', [1, 2, 5]), 1.0);
    expect(out.data).toEqual([Math.fround(1 / 8), Math.fround(2 / 8), Math.fround(5 / 8)]);
  });

  test('all zeros or len × limit <= 1: uniform', () => {
    expect(normalizeMaxWeight(floatArray('float32', [0, 0]), 1).data).toEqual([0.5, 0.5]);
    expect(normalizeMaxWeight(floatArray('float32', [1, 9, 3]), 0.3).data).toEqual([1, 1, 1].map(() => Math.fround(1 / 3)));
  });
});

describe('process_weights', () => {
  test('fewer non-zero weights than min_allowed_weights: padded with 1e-5 over all uids', () => {
    const out = processWeights([0, 1, 2, 3, 4], floatArray('float32', [0, 0, 0.5, 0, 0.5]), 5, 3, 1.0);
    expect(out.uids).toEqual([0, 1, 2, 3, 4]);
    expect(out.weights.dtype).toBe('float64');
    [9.9995e-6, 9.9995e-6, 0.499985, 9.9995e-6, 0.499985].forEach((v, i) => expect(out.weights.data[i]).toBeCloseTo(v, 6));
    expect(out.weights.data[2]).toBeCloseTo((0.5 + 1e-5) / (1 + 5e-5), 15);
  });

  test('all zeros: uniform over 0..n-1', () => {
    const out = processWeights([0, 1, 2, 3, 4], floatArray('float32', [0, 0, 0, 0, 0]), 5, 0, 1.0);
    expect(out.uids).toEqual([0, 1, 2, 3, 4]);
    expect(out.weights.data).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
  });

  test('zero weights are dropped', () => {
    const out = processWeights([10, 11, 12], floatArray('float32', [0, 1, 3]), 3, 0, 1.0);
    expect(out.uids).toEqual([11, 12]);
    expect(out.weights.data).toEqual([0.25, 0.75]);
  });
});

describe('normalize_batch_scores', () => {
  const neurons = [
    { hotkey: 'a', uid: 0 },
    { hotkey: 'b', uid: 1 },
    { hotkey: 'c', uid: 2 },
  ];
  test('unknown hotkeys are dropped; neuron order', () => {
    const out = normalizeBatchScores(new Map([['c', 3], ['zzz', 100], ['a', 1]]), neurons, 0, 65535);
    expect(out.uids).toEqual([0, 2]);
    expect(out.weights.data).toEqual([0.25, 0.75]);
  });
  test('nothing mapped: every uid at 0, unprocessed', () => {
    const out = normalizeBatchScores(new Map([['zzz', 1]]), neurons, 0, 65535);
    expect(out.uids).toEqual([0, 1, 2]);
    expect(out.weights.data).toEqual([0, 0, 0]);
  });
});

describe('numpy pairwise summation', () => {
  test('float32 sums of more than 8 values use 8 accumulators, not a running sum', () => {
    const values = [1e8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    let running = 0;
    for (const v of values) running = Math.fround(running + v);
    // Running float32 sum loses every +1 at 1e8; the pairwise blocks keep some of them.
    expect(running).toBe(1e8);
    expect(npSum(floatArray('float32', values))).toBe(Math.fround(1e8 + 8));
  });
});

describe('Python rounding', () => {
  test('halves go to the even neighbour', () => {
    expect(pyRound(32767.5)).toBe(32768);
    expect(pyRound(2.5)).toBe(2);
    expect(pyRound(16383.5)).toBe(16384);
    expect(pyRound(0.5)).toBe(0);
    expect(pyRound(1.5)).toBe(2);
    expect(pyRound(2.4999999)).toBe(2);
  });
});
