/**
 * Prompt sampling maths (spec §6.4), pure: which lines of which series go into which workload.
 * Randomness is injected so tests can fix it.
 */

export type RandomInt = (maxExclusive: number) => number;

/** Fisher-Yates over a copy. */
export function shuffled<T>(items: readonly T[], randomInt: RandomInt): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** `k` distinct lines (by position) chosen at random, in the order drawn. */
export function pickLines(lines: readonly string[], k: number, randomInt: RandomInt): string[] {
  return shuffled(
    lines.map((_, i) => i),
    randomInt,
  )
    .slice(0, k)
    .map((i) => lines[i]);
}

export interface PlannedSample<S> {
  series: S;
  prompts: string[];
}

/**
 * Accumulates samples into workloads: a workload is closed (handed to `flush`) as soon as it holds at
 * least `promptsPerWorkload` prompts; the run stops once `needed` samples were stored. Leftovers that
 * never fill a workload are dropped, as in the reference.
 */
export class WorkloadPacker<S> {
  private current: PlannedSample<S>[] = [];
  private promptCount = 0;

  constructor(private readonly promptsPerWorkload: number) {}

  /** Adds a sample; returns the full workload when this sample completed one. */
  add(sample: PlannedSample<S>): PlannedSample<S>[] | undefined {
    this.current.push(sample);
    this.promptCount += sample.prompts.length;
    if (this.promptCount < this.promptsPerWorkload) return undefined;
    const full = this.current;
    this.current = [];
    this.promptCount = 0;
    return full;
  }
}
