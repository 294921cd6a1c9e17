import { parsePythonFloat } from './python-float';

/** Executor classes of the synthetic era (no `always_on.test`), in enum order. [INTEROP] */
export const SYNTHETIC_ERA_EXECUTOR_CLASSES = ['spin_up-4min.gpu-24gb', 'always_on.gpu-24gb', 'always_on.llm.a6000'] as const;

/**
 * `executor_class_value_map_parser(value, float)` (configuration.md §5.5): split on ",", each pair
 * on "=" into exactly two parts, the class must be known (exact spelling), the value a Python
 * float; anything else is skipped silently; a later duplicate wins.
 */
export function parseExecutorClassWeights(
  raw: string,
  knownClasses: readonly string[] = SYNTHETIC_ERA_EXECUTOR_CLASSES,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const pair of raw.split(',')) {
    const parts = pair.split('=');
    if (parts.length !== 2) continue;
    const [cls, value] = parts;
    if (!knownClasses.includes(cls)) continue;
    const parsed = parsePythonFloat(value);
    if (parsed === undefined) continue;
    out.set(cls, parsed);
  }
  return out;
}
