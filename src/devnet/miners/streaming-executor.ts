import { createHash } from 'node:crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Clock } from '../../config/clock';
import { generateSelfSignedCertificate } from '../../common/self-signed-certificate';
import {
  buildMessage, signBlob, streamingReadyBlob, V0ExecutionDoneRequest, V0JobFailedRequest, V0JobFinishedRequest, V0StreamingJobNotReadyRequest,
  V0StreamingJobReadyRequest, V0VolumesReadyRequest, type JobFailureReason, type JobStage, type V0InitialJobRequest, type V0JobRequest,
} from '../../protocol';
import type { ExecutorBehaviour } from './behaviour';
import { ExecutorStepError, loadVolume, truncateOutput, uploadOutput } from './executor-work';
import type { SimulatedJobRunner, StreamingExecution } from './job-runner';
import { StreamingEndpoint } from './streaming-endpoint';

/**
 * A streaming job on a simulated executor (miner-protocol.md §7.3, synthetic-jobs.md §5.3.5, executor
 * side): download the volume, start a real HTTPS endpoint with its own self-signed certificate that
 * admits only the validator's certificate from StreamingDetails, report it with a signed
 * V0StreamingJobReadyRequest, compute the answer when POST /execute-job arrives, and after
 * GET /terminate upload /output and report V0JobFinishedRequest.
 */

export interface StreamingExecutorContext {
  uuid: string;
  initial: V0InitialJobRequest;
  request: V0JobRequest;
  runner: SimulatedJobRunner;
  behaviour: ExecutorBehaviour;
  /** Address the endpoint listens on and announces (the miner fills `ip` with it). */
  host: string;
  hotkey: KeyringPair;
  clock: Clock;
  signal: AbortSignal;
  send(message: { message_type: string }): void;
  log(kind: 'job-finished' | 'job-failed', detail: string): void;
  /** Marks the executor free again. */
  finish(): void;
}

export async function runStreamingExecutor(ctx: StreamingExecutorContext): Promise<void> {
  const uuid = ctx.uuid;
  const lie = ctx.behaviour.kind === 'streaming-lie' ? ctx.behaviour.lie : null;
  const fail = (reason: JobFailureReason, stage: JobStage, message: string) => {
    ctx.log('job-failed', `${reason} at ${stage}: ${message}`);
    ctx.send(buildMessage(V0JobFailedRequest, {
      job_uuid: uuid, message, reason, stage, docker_process_exit_status: null, docker_process_stdout: null, docker_process_stderr: null, context: null,
    }));
    ctx.finish();
  };
  let volume: Map<string, Buffer>;
  try {
    volume = await loadVolume(ctx.initial.volume ?? ctx.request.volume);
  } catch (e) {
    return fail('download_failed', 'volume_download', (e as Error).message);
  }
  ctx.send(buildMessage(V0VolumesReadyRequest, { job_uuid: uuid }));
  if (lie === 'not-ready') {
    ctx.send(buildMessage(V0StreamingJobNotReadyRequest, { job_uuid: uuid, executor_token: null }));
    ctx.log('job-failed', 'streaming endpoint not started (lie: not-ready)');
    return ctx.finish();
  }
  const timeoutMs = (ctx.initial.timeout_seconds ?? 300) * 1000;
  if (lie === 'never-ready') {
    await ctx.clock.sleep(timeoutMs, ctx.signal).catch(() => undefined);
    return ctx.finish();
  }
  const clientCertPem = ctx.initial.streaming_details?.public_key ?? '';
  const serverCertificate = await generateSelfSignedCertificate({ altName: ctx.host });
  let execution: StreamingExecution | null = null;
  let endpoint: StreamingEndpoint;
  try {
    endpoint = await StreamingEndpoint.start({
      host: ctx.host, serverCertificate, clientCertPem,
      onExecute: async (body) => {
        const run = await (ctx.runner.execute as NonNullable<SimulatedJobRunner['execute']>)(ctx.request, volume, body, { initial: ctx.initial, signal: ctx.signal });
        execution = ctx.behaviour.kind === 'wrong-answer' ? corruptExecution(run) : run;
        return { status: 200, json: lie === 'wrong-hash' ? lieAboutHashes(execution.response) : execution.response };
      },
    });
  } catch (e) {
    // e.g. StreamingDetails.public_key is not a certificate
    return fail('unknown', 'streaming_startup', `could not start the streaming endpoint: ${(e as Error).message}`);
  }
  const announced = lie === 'wrong-certificate' ? (await generateSelfSignedCertificate({ altName: ctx.host })).certPem : serverCertificate.certPem;
  const ready = { job_uuid: uuid, executor_token: null, public_key: announced, ip: ctx.host, port: endpoint.port };
  const blob = streamingReadyBlob(ready.job_uuid, ready.ip, ready.port, ready.public_key);
  ctx.send(buildMessage(V0StreamingJobReadyRequest, { ...ready, miner_signature: signBlob(ctx.hotkey, lie === 'bad-signature' ? `${blob}:forged` : blob) }));

  // The job runs until /terminate (or its timeout, or the miner stopping).
  const timer = new AbortController();
  const stopTimer = () => timer.abort();
  ctx.signal.addEventListener('abort', stopTimer, { once: true });
  await Promise.race([endpoint.terminated, ctx.clock.sleep(timeoutMs, timer.signal).catch(() => undefined)]);
  timer.abort();
  ctx.signal.removeEventListener('abort', stopTimer);
  await endpoint.stop();
  if (ctx.signal.aborted) return ctx.finish();

  const done = execution as StreamingExecution | null;
  ctx.send(buildMessage(V0ExecutionDoneRequest, { job_uuid: uuid }));
  const stdout = done?.stdout ?? '';
  const outputFiles = new Map<string, Buffer>([['stdout.txt', Buffer.from(stdout)], ['stderr.txt', Buffer.alloc(0)]]);
  for (const [k, v] of Object.entries(done?.outputFiles ?? {})) outputFiles.set(k, Buffer.from(v));
  let uploadResults: Record<string, string>;
  try {
    uploadResults = await uploadOutput(ctx.request.output_upload, outputFiles);
  } catch (e) {
    return fail(e instanceof ExecutorStepError ? 'upload_failed' : 'unknown', 'result_upload', (e as Error).message);
  }
  ctx.send(buildMessage(V0JobFinishedRequest, {
    job_uuid: uuid, docker_process_stdout: truncateOutput(stdout), docker_process_stderr: '', artifacts: {}, upload_results: uploadResults,
  }));
  ctx.log('job-finished', `${ctx.runner.name} (streaming${lie ? `, lie: ${lie}` : ''}; refused clients: ${endpoint.refusedClients})`);
  ctx.finish();
}

function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A hash that is well-formed but belongs to no uploaded file. */
function lieAboutHashes(response: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response).map(([k, v]) => [k, typeof v === 'string' ? sha256(`not the uploaded file ${v}`) : v]));
}

/** Wrong answers, consistently hashed: every output file changed, every hash naming one recomputed. */
function corruptExecution(run: StreamingExecution): StreamingExecution {
  const outputFiles = Object.fromEntries(Object.entries(run.outputFiles).map(([k, v]) => [k, Buffer.from(Buffer.from(v).map((b) => b ^ 0x5a))]));
  const response = Object.fromEntries(Object.entries(run.response).map(([k, v]) => {
    const name = k.replace(/^\/output\//, '');
    return [k, outputFiles[name] ? sha256(outputFiles[name]) : v];
  }));
  return { ...run, outputFiles, response };
}
