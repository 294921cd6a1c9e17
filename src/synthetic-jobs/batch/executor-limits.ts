import type { ExecutorClass } from '../../protocol';
import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import type { BatchEngineConfig } from './batch-engine-types';
import type { MinerCtx } from './batch-run-state';

/**
 * Stage 2 for one miner: its manifest counts after the per-class caps and, outside the peak cycle,
 * the non-peak limits (synthetic-jobs.md §4.5); every clipped class is a warning event.
 */
export function limitExecutorCounts(ctx: MinerCtx, cfg: BatchEngineConfig, ev: (e: SystemEventInput) => void): Map<ExecutorClass, number> {
  const out = new Map<ExecutorClass, number>();
  for (const [clsName, reported] of Object.entries(ctx.manifest ?? {})) {
    const cls = clsName as ExecutorClass;
    let n = reported;
    const cap = cfg.maxPerClass.get(cls);
    if (cap !== undefined && n > cap) {
      ev({ type: 'MINER_EXECUTOR_COUNT_CLIPPED', subtype: 'WARNING', description: 'executor count clipped', data: { miner_hotkey: ctx.miner.hotkey, executor_class: cls, allowed_count: cap, miner_reported_count: n } });
      n = cap;
    }
    if (cfg.nonPeak) {
      const peak = cfg.nonPeak.peakCounts?.get(ctx.miner.hotkey)?.get(cls);
      const allowed = peak !== undefined ? Math.max(Math.ceil(peak * cfg.nonPeak.ratio), 1) : cfg.nonPeak.missedPeakDefaults.get(cls) ?? 1;
      if (n > allowed) {
        ev({ type: 'MINER_EXECUTOR_COUNT_CLIPPED', subtype: 'WARNING', description: 'non-peak executor count clipped', data: { miner_hotkey: ctx.miner.hotkey, executor_class: cls, allowed_count: allowed, miner_reported_count: n } });
        n = allowed;
      }
    }
    if (n > 0) out.set(cls, n);
  }
  return out;
}
