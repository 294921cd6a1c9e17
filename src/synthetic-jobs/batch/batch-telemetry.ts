import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import type { BatchEngineResult, JobOutcome } from './batch-engine-types';
import type { JobState, MinerCtx } from './batch-run-state';

/**
 * The reference's telemetry events of a finished batch: one `SYNTHETIC_JOB` per judged job, then one
 * `SYNTHETIC_BATCH` with the stage start times, the counts per class and the manifests.
 */
export function recordBatchTelemetry(
  result: BatchEngineResult,
  ctxs: MinerCtx[],
  jobs: JobState[],
  stageStart: Record<string, string>,
  validatorSs58: string,
  ev: (e: SystemEventInput) => void,
): void {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const outcomes = new Map(result.jobs.map((o) => [o.jobUuid, o]));
  for (const job of jobs) {
    const o = outcomes.get(job.uuid);
    if (!o) continue;
    const r = job.obs.response;
    ev({
      type: 'VALIDATOR_TELEMETRY', subtype: 'SYNTHETIC_JOB', description: 'job telemetry',
      data: {
        job_uuid: job.uuid, miner_hotkey: job.miner.hotkey, validator_hotkey: validatorSs58, executor_class: job.executorClass,
        base_docker_image_name: job.gen.baseDockerImage, docker_image_name: job.gen.dockerImage, docker_run_options_preset: job.gen.dockerRunOptionsPreset,
        timeout_seconds: job.gen.timeoutSeconds,
        accept_response: job.obs.accept ? (job.obs.accept.kind === 'accept' ? 'V0AcceptJobRequest' : `V0DeclineJobRequest(${job.obs.accept.reason})`) : null,
        accept_response_time: iso(job.obs.accept?.atMs),
        executor_response: job.obs.executor ? (job.obs.executor.kind === 'ready' ? 'V0ExecutorReadyRequest' : 'executor failed') : null,
        executor_response_time: iso(job.obs.executor?.atMs),
        ...(job.gen.streaming ? { streaming_response: job.obs.streaming?.kind ?? null, streaming_processing_time: job.gen.streaming.processingSeconds } : {}),
        job_before_sent_time: iso(job.obs.jobSentAtMs),
        job_response: r ? (r.kind === 'finished' ? 'V0JobFinishedRequest' : 'V0JobFailedRequest') : null,
        job_response_time: iso(r?.atMs),
        job_execution_time: o.verdict.timeTookSeconds,
        success: o.verdict.success, correct: o.verdict.correct, comment: o.verdict.comment, score: o.verdict.score,
      },
    });
  }
  const count = (jobs: JobOutcome[]) => ({
    total: jobs.length,
    failed: jobs.filter((j) => !j.verdict.success && !j.verdict.excused).length,
    successful: jobs.filter((j) => j.verdict.success).length,
    excused: jobs.filter((j) => j.verdict.excused).length,
    correct: jobs.filter((j) => j.verdict.correct === true).length,
    incorrect: jobs.filter((j) => j.verdict.correct === false).length,
  });
  const counts: Record<string, unknown> = {
    miners: ctxs.length,
    manifests: ctxs.filter((c) => c.manifest).length,
    jobs: count(result.jobs),
  };
  for (const cls of new Set(result.jobs.map((j) => j.executorClass))) counts[`jobs:${cls}`] = count(result.jobs.filter((j) => j.executorClass === cls));
  ev({
    type: 'VALIDATOR_TELEMETRY', subtype: 'SYNTHETIC_BATCH', description: 'batch telemetry',
    data: { validator_hotkey: validatorSs58, stage_start_time: stageStart, counts, manifests: Object.fromEntries(result.manifests) },
  });
}
