import type { SyntheticJobBatch } from '../persistence/synthetic-job-batch.entity';
import type { BatchEngineResult, BatchMiner } from '../batch/batch-engine';

export interface BatchReportRow {
  minerHotkey: string;
  executorClass: string;
  sent: number;
  completed: number;
  excused: number;
  failed: number;
  /** failure kind -> count, e.g. { TIMED_OUT: 1 }; or the reason no job was sent. */
  reasons: Record<string, number>;
}

/** What a batch run returns (debug commands print it, metrics count it). */
export interface BatchReport {
  batchId: string;
  block: number;
  miners: number;
  jobs: number;
  rows: BatchReportRow[];
  wallMs: number;
  /** Time spent writing jobs, manifests and events after the miners were done. */
  persistMs?: number;
}

/** One row per miner and class: jobs sent and their outcomes, or why a miner got no job. */
export function buildBatchReport(batch: SyntheticJobBatch, miners: BatchMiner[], result: BatchEngineResult, wallMs: number): BatchReport {
  const rows = new Map<string, BatchReportRow>();
  const row = (hotkey: string, cls: string) => {
    const key = `${hotkey}|${cls}`;
    if (!rows.has(key)) rows.set(key, { minerHotkey: hotkey, executorClass: cls, sent: 0, completed: 0, excused: 0, failed: 0, reasons: {} });
    return rows.get(key) as BatchReportRow;
  };
  for (const m of miners) {
    const failure = result.minerFailures.get(m.hotkey);
    if (failure) row(m.hotkey, '-').reasons[failure] = 1;
    else if (result.manifests.get(m.hotkey) && (result.limitedCounts.get(m.hotkey)?.size ?? 0) === 0) row(m.hotkey, '-').reasons['manifest lists no executors'] = 1;
  }
  for (const j of result.jobs) {
    const r = row(j.miner.hotkey, j.executorClass);
    r.sent++;
    if (j.verdict.status === 'COMPLETED') r.completed++;
    else if (j.verdict.status === 'EXCUSED') r.excused++;
    else {
      r.failed++;
      const kind = j.verdict.failureKind ?? 'FAILED';
      r.reasons[kind] = (r.reasons[kind] ?? 0) + 1;
    }
  }
  for (const s of result.skipped) row(s.minerHotkey, s.executorClass).reasons[`skipped ${s.count}: ${s.reason}`] = s.count;
  return { batchId: batch.id, block: Number(batch.block), miners: miners.length, jobs: result.jobs.length, rows: [...rows.values()], wallMs };
}
