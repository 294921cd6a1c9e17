import { SyntheticEraScoringEngine } from './scoring-engine';
import { executorClassWeightProblems, parseExecutorClassWeights } from './executor-classes';
import { scoresToUidWeights } from './uid-weights';
import { u16ForCommit, u16ForSetWeights } from './u16';
import type { BurnConfig } from './burn';
import type { SyntheticEraWindow } from './types';

/**
 * Scenarios where an independent recomputation of the reference (bittensor 9.9 weight_utils on NumPy 2)
 * differed from this engine in the last bit (issue 15 item 7). Each is one COMPLETED
 * `spin_up-4min.gpu-24gb` organic job per count, organic job score 1, through the whole engine.
 */
const NO_BURN: BurnConfig = { targets: '', rate: 0, partition: 0 };

function weightsFor(jobsPerHotkey: Record<string, number>, neurons: number, limits: { minAllowedWeights: number; maxWeightsLimit: number }, burn: BurnConfig, classWeights = 'spin_up-4min.gpu-24gb=1') {
  const hotkeys = Array.from({ length: neurons }, (_, i) => `hk${i}`);
  const window: SyntheticEraWindow = {
    miners: hotkeys.map((hotkey) => ({ hotkey, coldkey: null })),
    organicJobs: Object.entries(jobsPerHotkey).map(([minerHotkey, count]) => ({
      minerHotkey, executorClass: 'spin_up-4min.gpu-24gb', status: 'COMPLETED' as const, cheated: false, onTrustedMiner: false, count,
    })),
    syntheticJobs: [],
    organicJobScore: 1,
    executorClassWeights: classWeights,
  };
  const scores = new SyntheticEraScoringEngine().score(window, { current: new Map(), previous: new Map() });
  return scoresToUidWeights(scores, hotkeys.map((hotkey, uid) => ({ hotkey, uid })), limits, burn, 0);
}

describe('reference repros (issue 15 item 7)', () => {
  test('a burn target appended as a new uid: process_weights casts the weights to float32 first', () => {
    const r = weightsFor({ hk0: 1, hk2: 1 }, 3, { minAllowedWeights: 0, maxWeightsLimit: 65535 }, { targets: 'hk1', rate: 0.2, partition: 0 });
    expect(r.uids).toEqual([0, 2, 1]);
    expect(u16ForCommit(r.weights)).toEqual([65535, 65535, 32768]);
    expect(u16ForSetWeights(r.weights)).toEqual([65535, 65535, 32768]);
  });

  test('normalize_max_weight computes its cutoff in float64 (only the stored values are float32)', () => {
    const r = weightsFor({ hk0: 12, hk1: 6 }, 2, { minAllowedWeights: 0, maxWeightsLimit: 38997 }, NO_BURN);
    expect(r.uids).toEqual([0, 1]);
    expect(u16ForCommit(r.weights)).toEqual([65535, 44598]);
  });

  test('a non-finite class weight never reaches the weights: the entry is ignored like any unparseable one', () => {
    for (const bad of ['inf', '-inf', 'nan', 'Infinity']) {
      const r = weightsFor({ hk0: 12, hk1: 6 }, 2, { minAllowedWeights: 0, maxWeightsLimit: 65535 }, NO_BURN, `spin_up-4min.gpu-24gb=${bad}`);
      expect(r.weights.every(Number.isFinite)).toBe(true);
      expect(u16ForCommit(r.weights)).toEqual([65535, 32768]);
    }
    expect(parseExecutorClassWeights('spin_up-4min.gpu-24gb=inf,always_on.llm.a6000=2')).toEqual(new Map([['always_on.llm.a6000', 2]]));
  });

  test('executorClassWeightProblems names each entry the parser would ignore (for validating the setting)', () => {
    expect(executorClassWeightProblems('spin_up-4min.gpu-24gb=99,always_on.llm.a6000=1')).toEqual([]);
    expect(executorClassWeightProblems('spin_up-4min.gpu-24gb=inf')).toEqual(['"spin_up-4min.gpu-24gb=inf": the weight is not a finite number']);
    expect(executorClassWeightProblems('zzz')).toEqual(['"zzz": expected <executor class>=<weight>']);
    expect(executorClassWeightProblems('nope=1')).toEqual(['"nope=1": unknown executor class "nope"']);
    expect(executorClassWeightProblems('always_on.llm.a6000=abc')).toEqual(['"always_on.llm.a6000=abc": "abc" is not a number']);
    // the default of the later era lists always_on.test, which this era does not know: tolerated (documented default)
    expect(executorClassWeightProblems('spin_up-4min.gpu-24gb=99,always_on.test=0', { tolerate: ['always_on.test'] })).toEqual([]);
  });
});
