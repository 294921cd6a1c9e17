/**
 * The 722-block grid of weight setting (scoring-synthetic-era.md §4.1, §6.1, §6.7;
 * chain-scoring-weights.md §5.1-5.2) [CONSENSUS]. Pure.
 */
export const SCORING_CYCLE_LENGTH = 722;

export interface CommitRevealParams {
  /** DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL (722). */
  interval: number;
  /** DYNAMIC_COMMIT_REVEAL_COMMIT_START_OFFSET (361). */
  commitStartOffset: number;
  /** DYNAMIC_COMMIT_REVEAL_COMMIT_END_BUFFER (15). */
  commitEndBuffer: number;
  /** DYNAMIC_COMMIT_REVEAL_REVEAL_END_BUFFER (15). */
  revealEndBuffer: number;
}

export const DEFAULT_COMMIT_REVEAL: CommitRevealParams = { interval: 722, commitStartOffset: 361, commitEndBuffer: 15, revealEndBuffer: 15 };

export interface Range {
  start: number;
  stop: number;
}

export const contains = (r: Range, block: number): boolean => r.start <= block && block < r.stop;

/** The reference's `CommitRevealInterval(block)`; a zero parameter (nonsense) falls back to its default. */
export class CommitRevealInterval {
  readonly params: CommitRevealParams;
  readonly start: number;
  readonly stop: number;

  constructor(readonly block: number, params: CommitRevealParams = DEFAULT_COMMIT_REVEAL) {
    this.params = {
      interval: params.interval || DEFAULT_COMMIT_REVEAL.interval,
      commitStartOffset: params.commitStartOffset || DEFAULT_COMMIT_REVEAL.commitStartOffset,
      commitEndBuffer: params.commitEndBuffer || DEFAULT_COMMIT_REVEAL.commitEndBuffer,
      revealEndBuffer: params.revealEndBuffer || DEFAULT_COMMIT_REVEAL.revealEndBuffer,
    };
    this.start = block - (((block % this.params.interval) + this.params.interval) % this.params.interval);
    this.stop = this.start + this.params.interval;
  }

  get commitWindow(): Range {
    return { start: this.start + this.params.commitStartOffset, stop: this.stop - this.params.commitEndBuffer };
  }

  get revealWindow(): Range {
    return { start: this.start, stop: this.start + this.params.commitStartOffset - this.params.revealEndBuffer };
  }
}

/** `_get_cycles_for_scoring(head)`: 722-grid keys of the main-hotkey cache. */
export function cyclesForScoring(head: number): { current: number; previous: number } {
  const n = Math.floor((head - 723) / SCORING_CYCLE_LENGTH);
  const current = SCORING_CYCLE_LENGTH * n;
  const previous = n > 0 ? SCORING_CYCLE_LENGTH * (n - 1) : 0;
  return { current, previous };
}

/**
 * Where a hash commit made at `commitBlock` may be revealed: the reveal window of the next grid
 * interval, i.e. heads in [rs, rs + interval] that are also inside their interval's reveal window.
 */
export function revealRangeFor(commitBlock: number, params: CommitRevealParams = DEFAULT_COMMIT_REVEAL): Range {
  const interval = new CommitRevealInterval(commitBlock, params);
  const start = interval.stop;
  return { start, stop: start + interval.params.interval + 1 };
}

/** The reference's reveal gate at `head` for a commit made at `commitBlock`. */
export function canRevealAt(head: number, commitBlock: number, params: CommitRevealParams = DEFAULT_COMMIT_REVEAL): 'reveal' | 'wait' | 'expired' {
  const range = revealRangeFor(commitBlock, params);
  if (head >= range.stop) return 'expired';
  if (head < range.start) return 'wait';
  return contains(new CommitRevealInterval(head, params).revealWindow, head) ? 'reveal' : 'wait';
}
