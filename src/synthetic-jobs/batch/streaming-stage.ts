import type { Clock } from '../../config/clock';
import type { MinerConnectionApi } from '../../miners/connection/types';
import { verifyStreamingReady, type StreamingDetails } from '../../protocol';
import { generateSelfSignedCertificate, type SelfSignedCertificate } from '../../common/self-signed-certificate';
import type { SyntheticJobGenerator } from '../generators/synthetic-job-generator';
import type { JobObservation } from './job-verdict';
import { triggerStreamingJob, type StreamingTarget, type StreamingTriggerResult } from './streaming-trigger';

/**
 * Streaming jobs inside a batch (synthetic-jobs.md §4.2, §4.7-4.9, §5.3.5). The engine calls:
 *  - `batchStreamingCertificate()` once per batch that has streaming jobs (§4.2),
 *  - `streamingDetailsFor(cert)` for their V0InitialJobRequest (§4.7),
 *  - `prepareStreamingJobs` as stage 5 (§4.8): V0JobRequest at once, then the ready wait,
 *  - `runStreamingJob` for each ready one in stage 6, next to the non-streaming jobs (§4.9).
 */

/** The validator's per-batch client certificate (the key never leaves this process's memory). */
export function batchStreamingCertificate(): Promise<SelfSignedCertificate> {
  return generateSelfSignedCertificate({ altName: '127.0.0.1' });
}

export function streamingDetailsFor(cert: SelfSignedCertificate): StreamingDetails {
  return { public_key: cert.certPem, executor_ip: null };
}

/** What the engine's job state offers this stage (structurally; the engine keeps its own type). */
export interface StreamingStageJob {
  readonly uuid: string;
  readonly miner: { hotkey: string };
  readonly gen: SyntheticJobGenerator;
  readonly obs: JobObservation;
  readonly ctx: { conn?: MinerConnectionApi; arrivals: Map<string, number> };
}

export interface StreamingStageDeps<J extends StreamingStageJob> {
  clock: Clock;
  /** Sends the job's V0JobRequest (stage 6 shape) and records the send time; false when it failed (recorded). */
  sendJobRequest(job: J, deadlineMs: number): Promise<boolean>;
  /** Waits for V0JobFinishedRequest / V0JobFailedRequest until the deadline and records it (or the timeout). */
  awaitJobResponse(job: J, deadlineMs: number): Promise<void>;
  noteLost(job: J): void;
}

/**
 * Stage 5: every streaming job gets its V0JobRequest now and has `readyTimeoutMs` to report the
 * executor's endpoint. Returns the endpoints of the jobs that became ready (signature checked).
 * A job response that arrives instead (e.g. V0JobFailedRequest) ends the wait and is recorded.
 */
export async function prepareStreamingJobs<J extends StreamingStageJob>(jobs: readonly J[], readyTimeoutMs: number, deps: StreamingStageDeps<J>): Promise<Map<string, StreamingTarget>> {
  const ready = new Map<string, StreamingTarget>();
  await Promise.all(jobs.map(async (job) => {
    const conn = job.ctx.conn as MinerConnectionApi;
    const deadline = deps.clock.now() + readyTimeoutMs;
    if (!(await deps.sendJobRequest(job, deadline))) return;
    const got = await conn.waitFor(['V0StreamingJobReadyRequest', 'V0StreamingJobNotReadyRequest', 'V0JobFailedRequest', 'V0HordeFailedRequest'], {
      jobUuid: job.uuid, timeoutMs: Math.max(0, deadline - deps.clock.now()), interrupt: [],
    });
    if (!got.ok) {
      if (got.failure.kind === 'timeout') job.obs.streaming = { kind: 'none' }; // not an error (§4.8)
      else deps.noteLost(job);
      return;
    }
    const m = got.message;
    const atMs = job.ctx.arrivals.get(`${job.uuid}|${m.message_type}`) ?? deps.clock.now();
    if (m.message_type === 'V0JobFailedRequest' || m.message_type === 'V0HordeFailedRequest') {
      // the job ended before becoming ready: its response is already here
      job.obs.streaming = { kind: 'none' };
      const rawMessage = JSON.stringify(m).slice(0, 2000);
      job.obs.response = { kind: 'failed', atMs, exitStatus: m.message_type === 'V0JobFailedRequest' ? m.docker_process_exit_status ?? null : null, rawMessage };
      return;
    }
    if (m.message_type === 'V0StreamingJobNotReadyRequest') {
      job.obs.streaming = { kind: 'not-ready', atMs };
      return;
    }
    // [IMPROVE] (miner-protocol.md V0StreamingJobReadyRequest): a present but wrong miner_signature
    // means someone other than the miner chose where we connect; do not trigger.
    // The verdict then fails the job with JOB_NOT_STARTED and says why.
    if (m.miner_signature != null && !verifyStreamingReady(m, job.miner.hotkey)) {
      job.obs.streaming = { kind: 'bad-signature', atMs };
      return;
    }
    job.obs.streaming = { kind: 'ready', atMs };
    ready.set(job.uuid, { ip: m.ip, port: m.port, certPem: m.public_key });
  }));
  return ready;
}

/**
 * Stage 6 for a ready streaming job: the HTTPS trigger (POST /execute-job, then GET /terminate), its
 * outcome handed to the generator, then the wait for the job response (≤ the job's timeout).
 */
export async function runStreamingJob<J extends StreamingStageJob>(job: J, target: StreamingTarget, cert: SelfSignedCertificate, deps: StreamingStageDeps<J>): Promise<StreamingTriggerResult> {
  const parts = job.gen.streaming;
  if (!parts) throw new Error(`job ${job.uuid} is not a streaming job`);
  const outcome = await triggerStreamingJob({ jobUuid: job.uuid, target, seed: parts.seed, client: cert });
  parts.recordTrigger({ processingSeconds: outcome.processingSeconds, responseHash: outcome.responseHash, failReason: outcome.failReason });
  await deps.awaitJobResponse(job, deps.clock.now() + job.gen.timeoutSeconds * 1000);
  return outcome;
}
