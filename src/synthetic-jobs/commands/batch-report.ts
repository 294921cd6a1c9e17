import { renderTable } from '../../common/table';
import type { BatchProgress } from '../batch/batch-engine';
import type { BatchReport } from '../batch-run/batch-runner.service';

/** Progress lines on stderr while a batch runs (stdout keeps the final table). */
export function progressPrinter(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): (p: BatchProgress) => void {
  let lastShown = new Map<string, number>();
  return (p) => {
    if (p.stage === 'jobs-generated') write(`generated ${p.jobs} job(s) for ${p.miners} miner(s)`);
    else if (p.stage === 'scored') write('jobs scored; sending job-finished receipts');
    else if (p.stage === 'receipts-sent') write('job-finished receipts sent');
    else if (p.stage === 'closed') write('connections closed; saving results');
    else {
      const label = p.stage === 'manifests' ? 'manifests' : p.stage === 'initial-requests' ? 'accept/ready' : 'job answers';
      // At most ~10 lines per stage, plus the last.
      const step = Math.max(1, Math.ceil(p.total / 10));
      const last = lastShown.get(p.stage) ?? 0;
      if (p.done === p.total || p.done - last >= step) {
        lastShown = new Map(lastShown).set(p.stage, p.done);
        write(`${label}: ${p.done}/${p.total}`);
      }
    }
  };
}

export function renderBatchReport(report: BatchReport): string {
  const rows = [...report.rows].sort((a, b) => a.minerHotkey.localeCompare(b.minerHotkey) || a.executorClass.localeCompare(b.executorClass));
  const table = renderTable(
    ['miner', 'executor class', 'sent', 'completed', 'excused', 'failed', 'reasons'],
    rows.map((r) => [r.minerHotkey, r.executorClass, r.sent, r.completed, r.excused, r.failed, Object.entries(r.reasons).map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join('; ')]),
  );
  return `batch ${report.batchId} at block ${report.block}: ${report.miners} miner(s), ${report.jobs} job(s), ${(report.wallMs / 1000).toFixed(1)} s\n${table}\n`;
}
