import { pickProbabilities, weightedShuffle } from './weighted-shuffle';

describe('TV-13 weighted shuffle', () => {
  it('computed normalized probabilities with defaults (center -25, steepness 5)', () => {
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 7));
    close(pickProbabilities([0, -1], -25, 5), [0.50037018, 0.49962982]);
    close(pickProbabilities([-1.0, -0.2], -25, 5), [0.4996981, 0.5003019]);
    const four = pickProbabilities([0, -25, -50, -100], -25, 5);
    close(four.slice(0, 3), [0.66220432, 0.33333311, 0.0044619]);
    expect(four[3]).toBeCloseTo(6.6666622e-7, 12);
    close(pickProbabilities([0, 0, 0], -25, 5), [1 / 3, 1 / 3, 1 / 3]);
    expect(pickProbabilities([5], -25, 5)).toEqual([1]);
  });

  it('edge cases: output is always a permutation of the input', () => {
    const sets = [[], [0], [0, 0, 0], [-1, -1, -1], [1, 1, 1], [5e7, -5e7, 1e-8, -1e-8, 0, 1, -1, 100, -100, 3, -3, 0.5, -0.5, 7]];
    for (const c of [-100000, -0.001, 0.001, 100000]) {
      for (const s of [-100000, -0.001, 0, 0.001, 100000]) {
        for (const w of sets) {
          const items = w.map((_, i) => i);
          const { order } = weightedShuffle(items, w, c, s);
          expect([...order].sort((a, b) => a - b)).toEqual(items);
        }
      }
    }
  });

  it('statistical: mean positions follow the weights', () => {
    const weights = [10, -10, 7, 3, -7, 0, 5, -3, -5, 0, 7, -3];
    const items = weights.map((_, i) => i);
    const pos = new Array(items.length).fill(0);
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let n = 0; n < 10000; n++) weightedShuffle(items, weights, -5, 1, rnd).order.forEach((it, p) => (pos[it] += p));
    const byMean = items.slice().sort((a, b) => pos[a] - pos[b]).map((i) => weights[i]);
    expect(byMean).toEqual([...weights].sort((a, b) => b - a));
  });

  it('refuses a length mismatch', () => {
    expect(() => weightedShuffle([1, 2], [0], -25, 5)).toThrow();
  });
});
