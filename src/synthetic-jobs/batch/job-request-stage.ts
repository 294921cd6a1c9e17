import type { MinerConnectionApi } from '../../miners/connection/types';
import { buildMessage, V0JobRequest, type OutputUpload, type Volume } from '../../protocol';
import type { StreamingStageDeps } from './streaming-stage';
import { noteLost, type BatchRunContext, type JobState } from './batch-run-state';

/**
 * Stage 6 for one non-streaming job (and the V0JobRequest of stage 5 for a streaming one): the job
 * request, then its response until the job's timeout plus `jobResponseExtraMs`.
 */
export async function runJobStage(job: JobState, run: BatchRunContext): Promise<void> {
  const deadline = run.clock.now() + job.gen.timeoutSeconds * 1000 + run.timings.jobResponseExtraMs;
  if (await sendJobRequest(job, deadline, run)) await awaitJobResponse(job, deadline, run);
}

/** The job-request half of this file, as the streaming stage needs it. */
export function streamingStageDeps(run: BatchRunContext): StreamingStageDeps<JobState> {
  return {
    clock: run.clock,
    sendJobRequest: (job, deadline) => sendJobRequest(job, deadline, run),
    awaitJobResponse: (job, deadline) => awaitJobResponse(job, deadline, run),
    noteLost: (job) => noteLost(job),
  };
}

function jobTimeoutEvent(job: JobState, run: BatchRunContext, what: string): void {
  run.ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'JOB_EXECUTION_TIMEOUT', description: `_trigger_job_execution: ${what}`, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_trigger_job_execution' } });
}

/** Sends V0JobRequest (stage 6; stage 5 for streaming jobs); false when it could not be sent (recorded). */
async function sendJobRequest(job: JobState, deadline: number, run: BatchRunContext): Promise<boolean> {
  const conn = job.ctx.conn as MinerConnectionApi;
  const g = job.gen;
  const request = buildMessage(V0JobRequest, {
    job_uuid: job.uuid,
    executor_class: job.executorClass,
    docker_image: g.dockerImage,
    raw_script: g.rawScript,
    docker_run_options_preset: g.dockerRunOptionsPreset,
    docker_run_cmd: g.dockerRunCmd,
    env: {},
    volume: g.volumeInInitialRequest ? null : (g.volume as unknown as Volume | null),
    output_upload: g.outputUpload as unknown as OutputUpload | null,
    artifacts_dir: null,
  });
  job.obs.jobSentAtMs = run.clock.now();
  const sent = await conn.send(request, { timeoutMs: Math.max(0, deadline - run.clock.now()) });
  g.volume = null;
  if (!sent.ok) {
    noteLost(job);
    jobTimeoutEvent(job, run, sent.failure.reason);
    return false;
  }
  return true;
}

/** Waits for the job response until `deadline` and records it (or the timeout). */
async function awaitJobResponse(job: JobState, deadline: number, run: BatchRunContext): Promise<void> {
  const conn = job.ctx.conn as MinerConnectionApi;
  const response = await conn.waitFor(['V0JobFinishedRequest', 'V0JobFailedRequest', 'V0HordeFailedRequest'], { jobUuid: job.uuid, timeoutMs: Math.max(0, deadline - run.clock.now()), interrupt: [] });
  if (!response.ok) {
    noteLost(job);
    jobTimeoutEvent(job, run, response.failure.kind === 'timeout' ? 'TimeoutError()' : response.failure.reason);
    return;
  }
  const m = response.message;
  const atMs = job.ctx.arrivals.get(`${job.uuid}|${m.message_type}`) ?? run.clock.now();
  const rawMessage = JSON.stringify(m).slice(0, 2000);
  if (m.message_type === 'V0JobFinishedRequest') job.obs.response = { kind: 'finished', atMs, stdout: m.docker_process_stdout, rawMessage };
  else job.obs.response = { kind: 'failed', atMs, exitStatus: m.message_type === 'V0JobFailedRequest' ? m.docker_process_exit_status ?? null : null, rawMessage };
}
