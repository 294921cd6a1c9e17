/**
 * Chain time (synthetic-jobs.md §3.1, chain-scoring-weights.md §2.9) [CONSENSUS].
 * Pure; half-open ranges [start, stop). Block numbers fit in JS numbers.
 */
export const TEMPO = 360;
export const CYCLES_IN_TESTING_DAY = 10;
export const REFERENCE_BLOCK_IN_PEAK_CYCLE = 1000;

export interface BlockRange {
  start: number;
  stop: number;
}

const mod = (x: number, m: number): number => ((x % m) + m) % m;

export function epochContaining(block: number, netuid: number, tempo = TEMPO): BlockRange {
  const interval = tempo + 1;
  const next = block + tempo - mod(block + netuid + 1, interval);
  return next === block ? { start: next, stop: next + interval } : { start: next - interval, stop: next };
}

export function cycleContaining(block: number, netuid: number, tempo = TEMPO): BlockRange {
  const interval = tempo + 1;
  const first = epochContaining(0, netuid, tempo);
  const e = epochContaining(block, netuid, tempo);
  const index = (e.start - first.start) / interval;
  return mod(index, 2) === 1 ? { start: e.start - interval, stop: e.stop } : { start: e.start, stop: e.stop + interval };
}

/** The "testing day" peak cycle for `block`: one cycle in ten, anchored on block 1000's cycle. */
export function peakCycle(block: number, netuid: number, tempo = TEMPO): BlockRange {
  const day = 2 * (tempo + 1) * CYCLES_IN_TESTING_DAY;
  const ref = cycleContaining(REFERENCE_BLOCK_IN_PEAK_CYCLE, netuid, tempo);
  const excess = mod(block - ref.start, day);
  return cycleContaining(block - excess, netuid, tempo);
}

export function inRange(block: number, range: BlockRange): boolean {
  return range.start <= block && block < range.stop;
}

export function isInPeakCycle(block: number, netuid: number, tempo = TEMPO): boolean {
  return inRange(block, peakCycle(block, netuid, tempo));
}
