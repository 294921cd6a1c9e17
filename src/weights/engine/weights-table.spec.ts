import { weightsCommitHash } from '../../chain/weights/commit-hash';
import { SyntheticEraScoringEngine } from './scoring-engine';
import { scoresToUidWeights } from './uid-weights';
import { u16ForCommit, u16ForSetWeights } from './u16';
import type { SyntheticEraWindow } from './types';

/**
 * chain-scoring-weights.md §9.2 / scoring-synthetic-era.md §9.8: the 19 parameter rows of
 * test_set_scores.py, from job scores through the engine, process_weights and the burn to u16.
 * Both u16 conversions (hash commit, direct set_weights) must give the expected values exactly.
 */
const NEURONS = Array.from({ length: 10 }, (_, i) => ({ hotkey: `hotkey_${i}`, uid: i }));
const DEFAULT_SCORES: Record<number, number> = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4 };
const SAME = { 1: 16384, 2: 32768, 3: 49151, 4: 65535 };

type Row = [cycle: number, rate: number, partition: number, targets: string, scores: Record<number, number> | null, expected: Record<number, number>];
const ROWS: Row[] = [
  [0, 0.0, 0.0, '', null, SAME],
  [0, 0.5, 0.5, '', null, SAME],
  [0, 0.0, 0.5, 'hotkey_1', null, SAME],
  [0, 0.5, 0.5, 'hotkey_100', null, SAME],
  [0, 0.5, 0.5, 'hotkey_100,hotkey_200', null, SAME],
  [0, 0.9, 0.9, 'hotkey_1,hotkey_2', { 0: 70, 3: 70, 4: 100 }, { 0: 2360, 1: 7282, 2: 65535, 3: 2360, 4: 3371 }],
  [0, 0.9, 0.9, 'hotkey_1,hotkey_2', { 0: 140, 3: 140, 4: 200 }, { 0: 2360, 1: 7282, 2: 65535, 3: 2360, 4: 3371 }],
  [1, 0.9, 0.9, 'hotkey_1,hotkey_2', { 0: 70, 3: 70, 4: 100 }, { 0: 2360, 1: 65535, 2: 7282, 3: 2360, 4: 3371 }],
  [1, 0.9, 0.9, 'hotkey_1,hotkey_200', { 0: 70, 3: 70, 4: 100 }, { 0: 2124, 1: 65535, 3: 2124, 4: 3034 }],
  [0, 0.9, 0.9, 'hotkey_1,hotkey_3', { 0: 70, 3: 70, 4: 100 }, { 0: 2278, 1: 7029, 3: 65535, 4: 3254 }],
  [0, 0.9, 0.9, 'hotkey_1,hotkey_3', { 0: 70, 1: 70, 2: 70, 3: 70, 4: 100 }, { 0: 1457, 1: 8577, 2: 1457, 3: 65535, 4: 2082 }],
  [0, 0.9, 0.9, 'hotkey_1,hotkey_2,hotkey_3', { 0: 70, 1: 70, 2: 70, 3: 70, 4: 100 }, { 0: 1457, 1: 5017, 2: 65535, 3: 5017, 4: 2082 }],
  [0, 0.9, 0.9, 'hotkey_1,hotkey_2,hotkey_3', { 0: 70, 4: 100 }, { 0: 3331, 1: 3641, 2: 65535, 3: 3641, 4: 4759 }],
  [0, 0.9, 0.9, 'hotkey_1,hotkey_3,hotkey_200', { 0: 70, 3: 70, 4: 100 }, { 0: 2278, 1: 7029, 3: 65535, 4: 3254 }],
  [0, 0.7, 0.8, 'hotkey_1,hotkey_2', { 0: 70, 3: 70, 4: 100 }, { 0: 10240, 1: 16384, 2: 65535, 3: 10240, 4: 14628 }],
  [0, 0.7, 0.8, 'hotkey_1,hotkey_2', { 0: 140, 3: 140, 4: 200 }, { 0: 10240, 1: 16384, 2: 65535, 3: 10240, 4: 14628 }],
  [1, 0.7, 0.8, 'hotkey_1,hotkey_200', { 0: 70, 3: 70, 4: 100 }, { 0: 8192, 1: 65535, 3: 8192, 4: 11703 }],
  [0, 0.7, 0.8, 'hotkey_1,hotkey_2,hotkey_3', { 0: 70, 1: 70, 2: 70, 3: 70, 4: 100 }, { 0: 5886, 1: 13342, 2: 65535, 3: 13342, 4: 8409 }],
  [0, 0.7, 0.8, 'hotkey_1,hotkey_2,hotkey_3', { 0: 70, 4: 100 }, { 0: 14456, 1: 8192, 2: 65535, 3: 8192, 4: 20652 }],
];

function run(cycle: number, rate: number, partition: number, targets: string, scores: Record<number, number>) {
  const window: SyntheticEraWindow = {
    // Miner rows for hotkey_0..4 without coldkeys: no main-hotkey logic.
    miners: [0, 1, 2, 3, 4].map((i) => ({ hotkey: `hotkey_${i}`, coldkey: null })),
    organicJobs: [],
    syntheticJobs: Object.entries(scores).map(([i, s]) => ({ minerHotkey: `hotkey_${i}`, executorClass: 'spin_up-4min.gpu-24gb', status: 'COMPLETED' as const, score: s })),
    organicJobScore: 1.0,
    executorClassWeights: 'spin_up-4min.gpu-24gb=100',
  };
  const engine = new SyntheticEraScoringEngine();
  const hotkeyScores = engine.score(window, { current: new Map(), previous: new Map() });
  return scoresToUidWeights(hotkeyScores, NEURONS, { minAllowedWeights: 0, maxWeightsLimit: 65535 }, { targets, rate, partition }, 722 * cycle);
}

describe('weight setting table (CSW §9.2, synthetic-era §9.8)', () => {
  test.each(ROWS.map((r, i) => [i + 1, ...r] as const))(
    'row %i: cycle %i, burn rate %p, partition %p, targets "%s"',
    (_row, cycle, rate, partition, targets, scores, expected) => {
      const result = run(cycle, rate, partition, targets, scores ?? DEFAULT_SCORES);
      const asMap = (values: number[]) => Object.fromEntries(result.uids.map((u, i) => [u, values[i]]));
      expect(asMap(u16ForCommit(result.weights))).toEqual(expected);
      expect(asMap(u16ForSetWeights(result.weights))).toEqual(expected);
      const registered = targets.split(',').filter((t) => NEURONS.some((n) => n.hotkey === t));
      expect(result.burn.subtype).toBe(rate > 0 && registered.length > 0 ? 'APPLIED_BURNING' : 'NO_BURNING');
    },
  );

  test('worked row: cycle 1, main burner PythonRandom(722).choice(["hotkey_1","hotkey_2"]) = hotkey_1', () => {
    const result = run(1, 0.9, 0.9, 'hotkey_1,hotkey_2', { 0: 70, 3: 70, 4: 100 });
    expect(result.burn.data.main_burner).toBe('hotkey_1');
    expect(result.burn.data.cycle_block_start).toBe(722);
    expect(result.burn.data.weight_adjustment).toEqual({ hotkey_1: 0.9 * 0.9, hotkey_2: (0.9 * (1 - 0.9)) / 1 });
  });

  test('worked row 6: cycle 0 picks hotkey_2 as the main burner', () => {
    const result = run(0, 0.9, 0.9, 'hotkey_1,hotkey_2', { 0: 70, 3: 70, 4: 100 });
    expect(result.burn.data.main_burner).toBe('hotkey_2');
  });

  test('_normalize_weights_for_committing([0.5, 1.5, 100.1, 30], 65535)', () => {
    expect(u16ForCommit([0.5, 1.5, 100.1, 30], 65535)).toEqual([327, 982, 65535, 19641]);
  });

  test('no scores and no burn: every uid with weight 0 (nothing to commit)', () => {
    const result = scoresToUidWeights(new Map(), NEURONS, { minAllowedWeights: 0, maxWeightsLimit: 65535 }, { targets: '', rate: 0, partition: 0 }, 0);
    expect(result.uids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.weights.every((w) => w === 0)).toBe(true);
    expect(() => u16ForCommit(result.weights)).toThrow(/all weights are zero/);
    expect(u16ForSetWeights(result.weights)).toEqual(new Array(10).fill(0));
  });

  test('no scores with burn: only the burn targets get weight', () => {
    const result = scoresToUidWeights(new Map(), NEURONS, { minAllowedWeights: 0, maxWeightsLimit: 65535 }, { targets: 'hotkey_7', rate: 0.5, partition: 0 }, 0);
    expect(result.uids).toEqual([7]);
    expect(result.weights).toEqual([1]);
  });
});

describe('hash commit (scoring-synthetic-era.md §9.9), through the chain module helper the weights module submits with', () => {
  test('public key 00..1f, netuid 12, uids [1,2,3,4], values [16384, 32768, 49151, 65535], salt 1..8, version key 2', () => {
    const publicKey = Uint8Array.from({ length: 32 }, (_, i) => i);
    const hash = weightsCommitHash(publicKey, 12, { uids: [1, 2, 3, 4], values: [16384, 32768, 49151, 65535] }, [1, 2, 3, 4, 5, 6, 7, 8], 2n);
    expect(hash).toBe('0xae204859b27ce314fc7ea6866214e03079113bb3c6d3e17c31d06956eed38bc0');
  });
});
