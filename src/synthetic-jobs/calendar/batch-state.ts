/**
 * Where a synthetic batch stands, as the operator should read it (status page, metrics). Pure.
 * Follows the calendar's own rules: a batch runs when its block is within
 * [head − oversleep, head + wait-in-advance]; one whose block is older than head − oversleep and
 * that never started is missed, whether or not the (10-minute) missed check has flagged it yet.
 */
export type BatchState = 'scheduled' | 'due' | 'running' | 'interrupted' | 'done' | 'missed';

export interface BatchTimes {
  block: number;
  isMissed: boolean;
  startedAt: Date | null;
  /** Set when the batch's jobs were persisted (its end). */
  finishedAt: Date | null;
  /** Set when the batch was found cut short (its run failed, or the process stopped during it). */
  interruptedAt?: Date | null;
}

/** A started batch that has not finished after this long counts as interrupted even before it is marked so. */
export const BATCH_INTERRUPTED_AFTER_MS = 2 * 3600 * 1000;

export function batchState(b: BatchTimes, head: number | null, oversleepBlocks: number, nowMs: number): BatchState {
  if (b.finishedAt) return 'done';
  if (b.interruptedAt) return 'interrupted';
  if (b.startedAt) return nowMs - b.startedAt.getTime() > BATCH_INTERRUPTED_AFTER_MS ? 'interrupted' : 'running';
  if (b.isMissed) return 'missed';
  if (head === null) return 'scheduled';
  if (b.block < head - oversleepBlocks) return 'missed';
  return b.block > head ? 'scheduled' : 'due';
}
