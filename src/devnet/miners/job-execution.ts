import type { KeyringPair } from '@polkadot/keyring/types';
import type { Clock } from '../../config/clock';
import {
  buildMessage, signBlob, streamingReadyBlob, V0ExecutionDoneRequest, V0HordeFailedRequest, V0JobFailedRequest, V0JobFinishedRequest,
  V0StreamingJobReadyRequest, V0VolumesReadyRequest, type JobFailureReason, type JobStage, type V0JobRequest,
} from '../../protocol';
import { ExecutorStepError, loadVolume, truncateOutput, uploadOutput } from './executor-work';
import type { SimulatedJobOutput, SimulatedJobRunnerRegistry } from './job-runner';
import { corrupt, slowDownOk } from './misbehaviours';
import { finishJob, raceDeadline, stageDeadlines, type SimulatedJob } from './simulated-job';
import type { MinerEventLog } from './simulated-miner-options';
import { runStreamingExecutor } from './streaming-executor';

/** Stand-in for the executor's certificate of a streaming job whose image has no server mode here (no endpoint is served). */
export const SIMULATED_EXECUTOR_CERTIFICATE = '-----BEGIN CERTIFICATE-----\nsimulated executor: no streaming endpoint\n-----END CERTIFICATE-----\n';

/** What the executor of a job needs from its miner. */
export interface JobExecutionContext {
  host: string;
  port: number;
  hotkey: KeyringPair;
  clock: Clock;
  runners: SimulatedJobRunnerRegistry;
  enforceDeadlines: boolean;
  /** Sends to every authenticated connection of the job's validator. */
  sendToValidator(job: SimulatedJob, message: { message_type: string }): void;
  log: MinerEventLog;
}

/**
 * The executor's part of a job after its V0JobRequest: volumes, execution by a SimulatedJobRunner (or a
 * real streaming endpoint), output upload and the reference's failure messages at each stage.
 */
export async function executeJob(ctx: JobExecutionContext, job: SimulatedJob, request: V0JobRequest): Promise<void> {
  const { clock } = ctx;
  const send = (message: { message_type: string }) => ctx.sendToValidator(job, message);
  const fail = (reason: JobFailureReason, stage: JobStage, message: string, extra: Partial<V0JobFailedRequest> = {}) => {
    ctx.log('job-failed', { jobUuid: job.uuid }, `${reason} at ${stage}: ${message}`);
    send(buildMessage(V0JobFailedRequest, {
      job_uuid: job.uuid, message, reason, stage, docker_process_exit_status: null, docker_process_stdout: null, docker_process_stderr: null, context: null, ...extra,
    }));
    finishJob(job);
  };
  // Streaming job whose image has a server mode here: a real mTLS endpoint (streaming-executor.ts).
  const server = job.initial.streaming_details ? ctx.runners.findServer(request) : undefined;
  if (server) {
    return runStreamingExecutor({
      uuid: job.uuid, initial: job.initial, request, runner: server, behaviour: job.executor.behaviour, host: ctx.host, hotkey: ctx.hotkey,
      clock, signal: job.abort.signal, send, log: (kind, detail) => ctx.log(kind, { jobUuid: job.uuid }, detail),
      finish: () => finishJob(job),
    });
  }
  const runner = ctx.runners.find(request);
  if (!runner) {
    send(buildMessage(V0HordeFailedRequest, {
      job_uuid: job.uuid, reported_by: 'executor', reason: 'generic_error', message: `no simulated runner plays image ${request.docker_image}`, context: null,
    }));
    ctx.log('job-failed', { jobUuid: job.uuid }, `no runner for ${request.docker_image}`);
    return finishJob(job);
  }
  const deadlines = ctx.enforceDeadlines ? stageDeadlines(job.initial, clock.now()) : null;
  const late = (stage: 'volumes' | 'execution' | 'upload') => deadlines !== null && clock.now() > deadlines[stage];
  let volume: Map<string, Buffer>;
  try {
    volume = await loadVolume(job.initial.volume ?? request.volume);
  } catch (e) {
    return fail('download_failed', 'volume_download', (e as Error).message);
  }
  if (!(await slowDownOk(clock, job, 'volumesReady'))) return;
  if (late('volumes')) return fail('timeout', 'volume_download', 'Timed out downloading volumes');
  send(buildMessage(V0VolumesReadyRequest, { job_uuid: job.uuid }));
  if (job.initial.streaming_details) {
    // protocol only: the ready message is real and signed, but no TLS streaming endpoint is served
    const ready = { job_uuid: job.uuid, executor_token: null, public_key: SIMULATED_EXECUTOR_CERTIFICATE, ip: ctx.host, port: ctx.port };
    send(buildMessage(V0StreamingJobReadyRequest, {
      ...ready, miner_signature: signBlob(ctx.hotkey, streamingReadyBlob(ready.job_uuid, ready.ip, ready.port, ready.public_key)),
    }));
  }
  let output: SimulatedJobOutput;
  try {
    const run = runner.run(request, volume, { initial: job.initial, signal: job.abort.signal });
    const timedOut = deadlines === null ? null : await raceDeadline(clock, run, deadlines.execution, job.abort.signal);
    if (timedOut === 'timeout') return fail('timeout', 'execution', 'Job container timed out');
    output = await run;
  } catch (e) {
    send(buildMessage(V0HordeFailedRequest, {
      job_uuid: job.uuid, reported_by: 'executor', reason: 'unhandled_exception', message: `runner ${runner.name} failed: ${(e as Error).message}`, context: { stage: 'execution' },
    }));
    return finishJob(job);
  }
  if (job.executor.behaviour.kind === 'wrong-answer') output = corrupt(output);
  const stdout = output.stdout;
  const stderr = output.stderr ?? '';
  if ((output.exitCode ?? 0) !== 0) {
    return fail('nonzero_return_code', 'execution', `Job container exited with non-zero exit code: ${output.exitCode}`, {
      docker_process_exit_status: output.exitCode, docker_process_stdout: truncateOutput(stdout), docker_process_stderr: truncateOutput(stderr),
    });
  }
  if (!(await slowDownOk(clock, job, 'executionDone'))) return;
  send(buildMessage(V0ExecutionDoneRequest, { job_uuid: job.uuid }));
  const outputFiles = new Map<string, Buffer>([['stdout.txt', Buffer.from(stdout)], ['stderr.txt', Buffer.from(stderr)]]);
  for (const [k, v] of Object.entries(output.outputFiles ?? {})) outputFiles.set(k, Buffer.from(v));
  let uploadResults: Record<string, string>;
  try {
    uploadResults = await uploadOutput(request.output_upload, outputFiles);
  } catch (e) {
    return fail(e instanceof ExecutorStepError ? 'upload_failed' : 'unknown', 'result_upload', (e as Error).message);
  }
  const artifacts: Record<string, string> = {};
  if (request.artifacts_dir) {
    for (const [name, content] of Object.entries(output.artifacts ?? {})) {
      const buf = Buffer.from(content);
      if (buf.length < 1_000_000) artifacts[`${request.artifacts_dir.replace(/\/$/, '')}/${name}`] = buf.toString('base64');
    }
  }
  if (!(await slowDownOk(clock, job, 'finished'))) return;
  if (late('upload')) return fail('timeout', 'result_upload', 'Timed out uploading results');
  send(buildMessage(V0JobFinishedRequest, {
    job_uuid: job.uuid, docker_process_stdout: truncateOutput(stdout), docker_process_stderr: truncateOutput(stderr), artifacts, upload_results: uploadResults,
  }));
  ctx.log('job-finished', { jobUuid: job.uuid }, runner.name);
  finishJob(job);
}
