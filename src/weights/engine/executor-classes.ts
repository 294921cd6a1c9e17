import { parsePythonFloat } from './python-float';

/** Executor classes of the synthetic era (no `always_on.test`), in enum order. [INTEROP] */
export const SYNTHETIC_ERA_EXECUTOR_CLASSES = ['spin_up-4min.gpu-24gb', 'always_on.gpu-24gb', 'always_on.llm.a6000'] as const;

type PairVerdict = { ok: true; cls: string; weight: number } | { ok: false; problem: string };

function judgePair(pair: string, knownClasses: readonly string[]): PairVerdict {
  const parts = pair.split('=');
  if (parts.length !== 2) return { ok: false, problem: `"${pair}": expected <executor class>=<weight>` };
  const [cls, value] = parts;
  if (!knownClasses.includes(cls)) return { ok: false, problem: `"${pair}": unknown executor class "${cls}"` };
  const parsed = parsePythonFloat(value);
  if (parsed === undefined) return { ok: false, problem: `"${pair}": "${value}" is not a number` };
  // Python's float() accepts inf and nan; either turns every weight into NaN downstream.
  if (!Number.isFinite(parsed)) return { ok: false, problem: `"${pair}": the weight is not a finite number` };
  return { ok: true, cls, weight: parsed };
}

/**
 * `executor_class_value_map_parser(value, float)` (configuration.md §5.5): split on ",", each pair
 * on "=" into exactly two parts, the class must be known (exact spelling), the value a Python
 * float; anything else is skipped silently; a later duplicate wins. Deviation: a non-finite value
 * (`inf`, `nan`) is skipped too (the reference takes it and fails to set weights on the NaNs).
 */
export function parseExecutorClassWeights(
  raw: string,
  knownClasses: readonly string[] = SYNTHETIC_ERA_EXECUTOR_CLASSES,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const pair of raw.split(',')) {
    const v = judgePair(pair, knownClasses);
    if (v.ok) out.set(v.cls, v.weight);
  }
  return out;
}

/**
 * Every entry `parseExecutorClassWeights` would skip, one sentence each (empty: the value is
 * clean). For validating the setting when it is read or set; `tolerate` lists classes of another
 * era that a documented default names on purpose.
 */
export function executorClassWeightProblems(
  raw: string,
  opts: { knownClasses?: readonly string[]; tolerate?: readonly string[] } = {},
): string[] {
  const known = [...(opts.knownClasses ?? SYNTHETIC_ERA_EXECUTOR_CLASSES), ...(opts.tolerate ?? [])];
  if (raw === '') return [];
  return raw.split(',').flatMap((pair) => {
    const v = judgePair(pair, known);
    return v.ok ? [] : [v.problem];
  });
}
