import type { BatchEngineResult } from '../batch/batch-engine';
import type { BatchManifestRow, SyntheticJobRow } from '../persistence/synthetic-batch.repository';

/**
 * A batch's results as table rows: one `synthetic_job` per judged job and one per-batch
 * `miner_manifest` per miner and class (the count after caps; online = successful or excused jobs),
 * the designed non-peak limit input (synthetic-jobs.md §4.5 REF-CHOICE).
 */
export function batchResultRows(batchId: string, result: BatchEngineResult): { jobs: SyntheticJobRow[]; manifests: BatchManifestRow[] } {
  const jobs: SyntheticJobRow[] = result.jobs.map((j) => ({
    job_uuid: j.jobUuid,
    miner_id: j.miner.id,
    miner_address: j.miner.address,
    miner_address_ip_version: j.miner.ipVersion,
    miner_port: j.miner.port,
    executor_class: j.executorClass,
    status: j.verdict.status,
    comment: j.verdict.comment,
    job_description: j.description,
    batch_id: batchId,
    score: j.verdict.score,
    failure_kind: j.verdict.failureKind,
    receipts: j.receipts,
  }));
  const online = new Map<string, number>();
  for (const j of result.jobs) {
    if (j.verdict.success || j.verdict.excused) online.set(`${j.miner.hotkey}|${j.executorClass}`, (online.get(`${j.miner.hotkey}|${j.executorClass}`) ?? 0) + 1);
  }
  const minerIds = new Map(result.jobs.map((j) => [j.miner.hotkey, j.miner.id]));
  const manifests: BatchManifestRow[] = [];
  for (const [hotkey, counts] of result.limitedCounts) {
    const minerId = minerIds.get(hotkey);
    if (!minerId) continue;
    for (const [cls, n] of counts) manifests.push({ miner_id: minerId, batch_id: batchId, executor_class: cls, executor_count: n, online_executor_count: online.get(`${hotkey}|${cls}`) ?? 0 });
  }
  return { jobs, manifests };
}
