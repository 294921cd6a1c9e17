import { batchState, BATCH_INTERRUPTED_AFTER_MS } from './batch-state';

describe('batchState', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  const base = { block: 100, isMissed: false, startedAt: null, finishedAt: null };

  it('is scheduled before its block, due from its block until the oversleep margin, then missed', () => {
    expect(batchState(base, 90, 5, now)).toBe('scheduled');
    expect(batchState(base, 100, 5, now)).toBe('due');
    expect(batchState(base, 105, 5, now)).toBe('due');
    // a passed batch is missed even before the periodic check flags it (the stale "block 64 at block 89")
    expect(batchState({ ...base, block: 64 }, 89, 5, now)).toBe('missed');
    expect(batchState({ ...base, isMissed: true }, 90, 5, now)).toBe('missed');
  });

  it('is running once started, done once its jobs are stored, interrupted when it never finished', () => {
    expect(batchState({ ...base, startedAt: new Date(now - 60_000) }, 120, 5, now)).toBe('running');
    expect(batchState({ ...base, startedAt: new Date(now - 60_000), finishedAt: new Date(now) }, 120, 5, now)).toBe('done');
    expect(batchState({ ...base, startedAt: new Date(now - BATCH_INTERRUPTED_AFTER_MS - 1) }, 9999, 5, now)).toBe('interrupted');
    expect(batchState({ ...base, startedAt: new Date(now - 60_000), interruptedAt: new Date(now) }, 120, 5, now)).toBe('interrupted');
  });

  it('without a known head an unstarted batch is only scheduled', () => {
    expect(batchState(base, null, 5, now)).toBe('scheduled');
  });
});
