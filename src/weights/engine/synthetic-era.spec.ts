import { SyntheticEraScoringEngine } from './scoring-engine';
import { pickMainHotkey } from './dancing';
import type { JobStatus, MainHotkeys, OrganicJobResult, ScoringMiner, SyntheticEraWindow, SyntheticJobResult } from './types';

// scoring-synthetic-era.md §9.7 (validator/scoring/tests/test_scoring_engine.py at 60c7250d).
const SPIN_UP = 'spin_up-4min.gpu-24gb';
const LLM = 'always_on.llm.a6000';
const MINERS: ScoringMiner[] = [
  { hotkey: 'hotkey1', coldkey: 'coldkey1' },
  { hotkey: 'hotkey3', coldkey: 'coldkey2' },
  { hotkey: 'hotkey7', coldkey: 'coldkey3' },
  { hotkey: 'hotkey2', coldkey: 'coldkey1' },
  { hotkey: 'hotkey4', coldkey: 'coldkey2' },
  { hotkey: 'hotkey5', coldkey: 'coldkey2' },
  { hotkey: 'hotkey6', coldkey: 'coldkey2' },
];
// What each miner answers to V0MainHotkeyMessage; hotkey6 does not answer.
const ANSWERS = new Map<string, string | null | Error>([
  ['hotkey1', 'hotkey1'],
  ['hotkey2', 'hotkey1'],
  ['hotkey3', 'hotkey3'],
  ['hotkey4', 'hotkey3'],
  ['hotkey5', 'hotkey3'],
  ['hotkey7', 'hotkey7'],
  ['hotkey6', new Error('connection refused')],
]);

const organic = (hotkey: string, over: Partial<OrganicJobResult> = {}): OrganicJobResult => ({
  minerHotkey: hotkey,
  executorClass: SPIN_UP,
  status: 'COMPLETED',
  cheated: false,
  onTrustedMiner: false,
  ...over,
});
const synthetic = (hotkey: string, score: number, status: JobStatus = 'COMPLETED'): SyntheticJobResult => ({
  minerHotkey: hotkey,
  executorClass: SPIN_UP,
  status,
  score,
});

const engine = new SyntheticEraScoringEngine();

/** Runs the engine the way the service does: resolve the needed coldkeys from the answers, then score. */
function score(organicJobs: OrganicJobResult[], syntheticJobs: SyntheticJobResult[], previous: [string, string][] = []) {
  const window: SyntheticEraWindow = {
    miners: MINERS,
    organicJobs,
    syntheticJobs,
    organicJobScore: 1.0,
    executorClassWeights: 'spin_up-4min.gpu-24gb=99,always_on.llm.a6000=1',
  };
  const current = new Map<string, string | null>();
  for (const ck of engine.mainHotkeyColdkeys(window)) {
    const main = pickMainHotkey(ck, MINERS, ANSWERS);
    if (main !== undefined) current.set(ck, main);
  }
  const mainHotkeys: MainHotkeys = { current, previous: new Map(previous) };
  return { scores: engine.score(window, mainHotkeys), current };
}

/** The spec lists values rounded to 2 decimals; the reference test asserts them within 0.01. */
function expectScores(actual: Map<string, number>, expected: Record<string, number>) {
  for (const [hk, v] of Object.entries(expected)) {
    expect(actual.has(hk)).toBe(true);
    expect(Math.abs((actual.get(hk) as number) - v)).toBeLessThan(0.005 + 1e-9);
  }
}

describe('synthetic-era scoring engine (§9.7 vectors)', () => {
  test('basic: organic hotkey1 + hotkey3, synthetic hotkey1=10 + hotkey7=15', () => {
    const { scores } = score([organic('hotkey1'), organic('hotkey3')], [synthetic('hotkey1', 10), synthetic('hotkey7', 15)]);
    expectScores(scores, { hotkey1: 32.27, hotkey2: 8.07, hotkey3: 2.93, hotkey4: 0.24, hotkey5: 0.24, hotkey6: 0.24, hotkey7: 55.0 });
    // Worked example: class total 27; coldkey1 = 11 -> 8.8 / 2.2, coldkey2 = 1 -> 0.8 / 0.2/3 each, coldkey3 = 15.
    expect(scores.get('hotkey1')).toBeCloseTo((8.8 / 27) * 99, 12);
    expect(scores.get('hotkey2')).toBeCloseTo((2.2 / 27) * 99, 12);
    expect(scores.get('hotkey3')).toBeCloseTo((0.8 / 27) * 99, 12);
    expect(scores.get('hotkey6')).toBeCloseTo((0.2 / 3 / 27) * 99, 12);
    expect(scores.get('hotkey7')).toBeCloseTo((15 / 27) * 99, 12);
    expect(scores.size).toBe(7);
  });

  test('no jobs: empty scores', () => {
    expect(score([], []).scores).toEqual(new Map());
  });

  test('dancing: previous main hotkey2, current hotkey1 -> 10 % bonus, 79.2 / 19.8', () => {
    const { scores } = score([organic('hotkey1')], [], [['coldkey1', 'hotkey2']]);
    expectScores(scores, { hotkey1: 79.2, hotkey2: 19.8 });
    expect(scores.get('hotkey1')).toBeCloseTo(79.2, 10);
    expect(scores.get('hotkey2')).toBeCloseTo(19.8, 10);
    expect(scores.size).toBe(2);
  });

  test('cheated organic jobs are excluded', () => {
    const { scores } = score([organic('hotkey1', { cheated: true }), organic('hotkey1'), organic('hotkey3')], []);
    expectScores(scores, { hotkey1: 39.6, hotkey2: 9.9, hotkey3: 39.6, hotkey4: 3.3, hotkey5: 3.3, hotkey6: 3.3 });
  });

  test('failed organic jobs are excluded', () => {
    const { scores } = score([organic('hotkey1', { status: 'FAILED' }), organic('hotkey3')], [synthetic('hotkey1', 10)]);
    expectScores(scores, { hotkey1: 72.0, hotkey2: 18.0, hotkey3: 7.2, hotkey4: 0.6, hotkey5: 0.6, hotkey6: 0.6 });
  });

  test('excused synthetic jobs are not counted (reference behaviour)', () => {
    const { scores } = score([organic('hotkey1'), organic('hotkey1'), organic('hotkey3')], [synthetic('hotkey1', 15, 'EXCUSED')]);
    expectScores(scores, { hotkey1: 52.8, hotkey2: 13.2, hotkey3: 26.4, hotkey4: 2.2, hotkey5: 2.2, hotkey6: 2.2 });
  });

  test('organic jobs on the trusted miner are excluded', () => {
    const { scores } = score([organic('hotkey1', { onTrustedMiner: true }), organic('hotkey1')], [synthetic('hotkey3', 10)]);
    expectScores(scores, { hotkey1: 7.2, hotkey2: 1.8, hotkey3: 72.0, hotkey4: 6.0, hotkey5: 6.0, hotkey6: 6.0 });
  });

  test('two classes are normalised separately and weighted 99 / 1', () => {
    const jobs = [
      ...Array.from({ length: 5 }, () => organic('hotkey1')),
      ...Array.from({ length: 11 }, () => organic('hotkey3', { executorClass: LLM })),
    ];
    const { scores, current } = score(jobs, []);
    expectScores(scores, { hotkey1: 79.2, hotkey2: 19.8 });
    // Derived, not asserted upstream: the llm class (weight 1) split by coldkey2's main hotkey.
    expect(scores.get('hotkey3')).toBeCloseTo(0.8, 12);
    expect(scores.get('hotkey4')).toBeCloseTo(0.2 / 3, 12);
    // The rows the reference stores for cycle 1000.
    expect([...current]).toEqual([
      ['coldkey1', 'hotkey1'],
      ['coldkey2', 'hotkey3'],
    ]);
  });

  test('an executor class missing from the weights map weighs 1.0 in this era', () => {
    const window: SyntheticEraWindow = {
      miners: [{ hotkey: 'a', coldkey: null }, { hotkey: 'b', coldkey: null }],
      organicJobs: [organic('a', { executorClass: 'always_on.gpu-24gb' }), organic('b', { executorClass: 'always_on.gpu-24gb' })],
      syntheticJobs: [],
      organicJobScore: 1.0,
      executorClassWeights: 'spin_up-4min.gpu-24gb=99,always_on.llm.a6000=1',
    };
    const scores = engine.score(window, { current: new Map(), previous: new Map() });
    expect(scores).toEqual(new Map([['a', 0.5], ['b', 0.5]]));
  });

  test('DYNAMIC_ORGANIC_JOB_SCORE scales organic jobs against synthetic ones', () => {
    const window: SyntheticEraWindow = {
      miners: [{ hotkey: 'a', coldkey: null }, { hotkey: 'b', coldkey: null }],
      organicJobs: [organic('a')],
      syntheticJobs: [synthetic('b', 1)],
      organicJobScore: 3.0,
      executorClassWeights: 'spin_up-4min.gpu-24gb=100',
    };
    const scores = engine.score(window, { current: new Map(), previous: new Map() });
    expect(scores.get('a')).toBeCloseTo(75, 12);
    expect(scores.get('b')).toBeCloseTo(25, 12);
  });
});

describe('main-hotkey selection (§9.7)', () => {
  const miners: ScoringMiner[] = [
    { hotkey: 'hk_a', coldkey: 'ck' },
    { hotkey: 'hk_b', coldkey: 'ck' },
  ];
  test('the first hotkey fails and the second answers: the coldkey maps to that answer', () => {
    expect(pickMainHotkey('ck', miners, new Map<string, string | null | Error>([['hk_a', new Error('x')], ['hk_b', 'hotkey1']]))).toBe('hotkey1');
  });
  test('all fail: no main hotkey', () => {
    expect(pickMainHotkey('ck', miners, new Map<string, string | null | Error>([['hk_a', null], ['hk_b', new Error('x')]]))).toBeUndefined();
  });
  test('an empty answer does not count', () => {
    expect(pickMainHotkey('ck', miners, new Map<string, string | null | Error>([['hk_a', ''], ['hk_b', 'hk_b']]))).toBe('hk_b');
  });
});

describe('dancing arithmetic (chain-scoring-weights.md §9.8)', () => {
  test('coldkey A dances, coldkey B has no answer: 41.4857 / 10.3714 / 47.1429', () => {
    const window: SyntheticEraWindow = {
      miners: [
        { hotkey: 'a1', coldkey: 'A' },
        { hotkey: 'a2', coldkey: 'A' },
        { hotkey: 'b1', coldkey: 'B' },
      ],
      organicJobs: [organic('a1'), organic('b1')],
      syntheticJobs: [],
      organicJobScore: 1.0,
      executorClassWeights: 'spin_up-4min.gpu-24gb=99',
    };
    expect(engine.mainHotkeyColdkeys(window)).toEqual(['A', 'B']);
    const scores = engine.score(window, { current: new Map([['A', 'a1']]), previous: new Map([['A', 'a2']]) });
    expect(scores.get('a1')).toBeCloseTo(41.4857, 4);
    expect(scores.get('a2')).toBeCloseTo(10.3714, 4);
    expect(scores.get('b1')).toBeCloseTo(47.1429, 4);
  });
});
