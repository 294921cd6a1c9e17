import { CommitRevealInterval, canRevealAt, contains, cyclesForScoring } from './grid';

describe('commit window (scoring-synthetic-era.md §9.8)', () => {
  const inWindow = (head: number) => contains(new CommitRevealInterval(head).commitWindow, head);
  test('heads 723, 999, 1082, 1430, 1443 are outside [1083, 1429)', () => {
    for (const head of [723, 999, 1082, 1430, 1443]) expect(inWindow(head)).toBe(false);
  });
  test('the window of grid 722 is [1083, 1429); the next is [1805, 2151)', () => {
    expect(new CommitRevealInterval(1200).commitWindow).toEqual({ start: 1083, stop: 1429 });
    expect(new CommitRevealInterval(1900).commitWindow).toEqual({ start: 1805, stop: 2151 });
    for (const head of [1083, 1200, 1428, 1805, 2150]) expect(inWindow(head)).toBe(true);
  });
  test('head 359 is before the first window [361, 707); path A head 1084 + 722c is inside', () => {
    expect(inWindow(359)).toBe(false);
    expect(new CommitRevealInterval(359).commitWindow).toEqual({ start: 361, stop: 707 });
    expect(inWindow(1084)).toBe(true);
    expect(inWindow(1084 + 722)).toBe(true);
  });
  test('reveal window of grid g is [g, g + 346)', () => {
    expect(new CommitRevealInterval(1500).revealWindow).toEqual({ start: 1444, stop: 1790 });
  });
});

describe('reveal gating (scoring-synthetic-era.md §9.8)', () => {
  test('a commit at 1234 is revealed at 1444, 1678 and 1789', () => {
    for (const head of [1444, 1678, 1789]) expect(canRevealAt(head, 1234)).toBe('reveal');
  });
  test('nothing happens at 1443 (too early) or 1791 (outside the reveal window)', () => {
    expect(canRevealAt(1443, 1234)).toBe('wait');
    expect(canRevealAt(1791, 1234)).toBe('wait');
  });
  test('after the next interval the commit has expired', () => {
    expect(canRevealAt(2167, 1234)).toBe('expired');
  });
});

describe('scoring cycle keys (scoring-synthetic-era.md §9.10)', () => {
  test.each([
    [1083, 0, 0],
    [1429, 0, 0],
    [6_500_000, 6_498_722, 6_498_000],
    [6_500_527, 6_499_444, 6_498_722],
    [1900, 722, 0],
    [723 + 722, 722, 0],
    [100, -722, 0],
  ])('head %i -> current %i, previous %i', (head, current, previous) => {
    expect(cyclesForScoring(head)).toEqual({ current, previous });
  });
});
