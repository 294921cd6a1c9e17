import { applyDancing, coldkeysNeedingMainHotkey, indexColdkeys } from './dancing';
import { parseExecutorClassWeights } from './executor-classes';
import type { ClassScores, HotkeyScores, MainHotkeys, SyntheticEraWindow } from './types';

/**
 * The synthetic-era scorer (scoring-synthetic-era.md §6.4) [CONSENSUS]: organic jobs count
 * DYNAMIC_ORGANIC_JOB_SCORE each, COMPLETED synthetic jobs their stored score; per executor class
 * the scores are danced by coldkey, normalised and multiplied by the class weight (1.0 when the
 * class is not listed). Pure.
 */
export function rawClassScores(window: SyntheticEraWindow): ClassScores {
  const organic: ClassScores = new Map();
  for (const job of window.organicJobs) {
    if (job.status !== 'COMPLETED' || job.cheated || job.onTrustedMiner) continue;
    // One addition per job, as the reference adds DYNAMIC_ORGANIC_JOB_SCORE job by job.
    for (let i = 0; i < (job.count ?? 1); i++) add(organic, job.executorClass, job.minerHotkey, window.organicJobScore);
  }
  const synthetic: ClassScores = new Map();
  for (const job of window.syntheticJobs) {
    // Excused jobs keep a non-zero stored score but are not counted (reference behaviour, §5.4).
    if (job.status !== 'COMPLETED') continue;
    add(synthetic, job.executorClass, job.minerHotkey, job.score);
  }
  const combined: ClassScores = new Map();
  for (const cls of new Set([...organic.keys(), ...synthetic.keys()])) {
    const scores = new Map<string, number>();
    for (const source of [organic, synthetic]) {
      for (const [hk, s] of source.get(cls) ?? []) scores.set(hk, (scores.get(hk) ?? 0) + s);
    }
    combined.set(cls, scores);
  }
  return combined;
}

function add(target: ClassScores, cls: string, hotkey: string, score: number): void {
  let scores = target.get(cls);
  if (!scores) target.set(cls, (scores = new Map()));
  scores.set(hotkey, (scores.get(hotkey) ?? 0) + score);
}

/** Coldkeys whose main hotkey the caller must resolve (stored row, else ask the miners). */
export function mainHotkeyColdkeys(window: SyntheticEraWindow, classScores = rawClassScores(window)): string[] {
  const index = indexColdkeys(window.miners);
  const out = new Set<string>();
  for (const scores of classScores.values()) for (const ck of coldkeysNeedingMainHotkey(scores, index)) out.add(ck);
  return [...out];
}

/**
 * Dancing, per-class normalisation and class weights over raw class scores. Shared with a later
 * allowance engine; only the weight of an unlisted class differs between the eras.
 */
export function combineClassScores(
  classScores: ClassScores,
  window: Pick<SyntheticEraWindow, 'miners' | 'executorClassWeights'>,
  mainHotkeys: MainHotkeys,
  unlistedClassWeight: number,
): HotkeyScores {
  const index = indexColdkeys(window.miners);
  const weights = parseExecutorClassWeights(window.executorClassWeights);
  const final: HotkeyScores = new Map();
  for (const [cls, scores] of classScores) {
    const w = weights.has(cls) ? (weights.get(cls) as number) : unlistedClassWeight;
    const danced = applyDancing(scores, index, mainHotkeys);
    let total = 0;
    for (const v of danced.values()) total += v;
    if (total > 0) {
      for (const [hk, v] of danced) final.set(hk, (final.get(hk) ?? 0) + (v / total) * w);
    }
  }
  return final;
}

export function scoreSyntheticEraWindow(window: SyntheticEraWindow, mainHotkeys: MainHotkeys): HotkeyScores {
  return combineClassScores(rawClassScores(window), window, mainHotkeys, 1.0);
}
