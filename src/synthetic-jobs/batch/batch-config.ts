import { EXECUTOR_CLASSES, ExecutorClass, isExecutorClass } from '../../protocol/executor-class';

/** Pure parsers of the synthetic dynamic-config strings (synthetic-jobs.md §2.2). */

/** `class=int,class=int`: bad items, unknown classes and (with dropNegative) negative values are skipped. */
export function parseClassIntMap(raw: string, opts: { dropNegative?: boolean } = {}): Map<ExecutorClass, number> {
  const out = new Map<ExecutorClass, number>();
  for (const item of raw.split(',')) {
    const parts = item.split('=');
    if (parts.length !== 2) continue;
    const [name, value] = [parts[0].trim(), parts[1].trim()];
    if (!isExecutorClass(name) || !/^[+-]?\d+$/.test(value)) continue;
    const n = Number(value);
    if (opts.dropNegative && n < 0) continue;
    out.set(name, n);
  }
  return out;
}

/** `class,class` (DYNAMIC_SYNTHETIC_STREAMING_JOB_EXECUTOR_CLASSES): unknown or empty items are skipped. */
export function parseExecutorClassList(raw: string): Set<ExecutorClass> {
  const out = new Set<ExecutorClass>();
  for (const item of raw.split(',')) {
    const name = item.trim();
    if (isExecutorClass(name)) out.add(name);
  }
  return out;
}

/** `TYPE,SUBTYPE,N;TYPE,SUBTYPE,N`: per-batch caps on events. */
export function parseEventLimits(raw: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of raw.split(';')) {
    const parts = item.split(',').map((s) => s.trim());
    if (parts.length !== 3 || !/^\d+$/.test(parts[2])) continue;
    out.set(`${parts[0]}/${parts[1]}`, Number(parts[2]));
  }
  return out;
}

/** Comma-separated executor classes; invalid entries ignored. */
export function parseClassList(raw: string): Set<ExecutorClass> {
  return new Set(raw.split(',').map((s) => s.trim()).filter((s): s is ExecutorClass => (EXECUTOR_CLASSES as readonly string[]).includes(s)));
}

/** C printf `%.6g` (Python `format(x, ".6g")`) for the finished receipt's score_str. */
export function formatG6(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toExponential(5)))));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, 5 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
