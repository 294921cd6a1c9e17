import {
  buildMessage, canonicalDatetimeFromMs, jobAcceptedPayload, jobStartedPayload,
  V0InitialJobRequest, V0JobAcceptedReceiptRequest, type Volume,
} from '../../protocol';
import type { SelfSignedCertificate } from '../../common/self-signed-certificate';
import type { StoredReceipt } from '../persistence/synthetic-job.entity';
import { streamingDetailsFor } from './streaming-stage';
import { noteLost, type BatchRunContext, type JobState } from './batch-run-state';

/**
 * Stage 4 for one job: waits so that every job's executor is due at the same moment (the slowest
 * class's spin-up), sends V0InitialJobRequest with a signed JobStartedReceipt, records accept or
 * decline (with the decline's excuse receipts), answers an accept with a JobAcceptedReceipt and
 * waits for the executor to be ready, all before `deadline`.
 */
export async function runInitialStage(job: JobState, deadline: number, maxSpin: number, run: BatchRunContext, streamingCert: SelfSignedCertificate | null): Promise<void> {
  const { clock, ev, timings } = run;
  const conn = job.ctx.conn;
  if (!conn) return;
  const ownSpin = Math.max(timings.minSpinUpSeconds, timings.spinUpSeconds[job.executorClass]);
  const remaining = () => Math.max(0, deadline - clock.now());
  const timeoutEvent = (what: string) =>
    ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'JOB_EXECUTION_TIMEOUT', description: `_send_initial_job_request: ${what}`, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_send_initial_job_request' } });
  if (maxSpin > ownSpin) await clock.sleep((maxSpin - ownSpin) * 1000);

  const timestamp = canonicalDatetimeFromMs(clock.now());
  const ttl = Math.min(300, Math.max(5, ownSpin + job.gen.timeoutSeconds + 5));
  const started = await run.sign(jobStartedPayload({
    job_uuid: job.uuid, miner_hotkey: job.miner.hotkey, validator_hotkey: run.validatorSs58, timestamp, executor_class: job.executorClass, is_organic: false, ttl,
  }));
  const stored: StoredReceipt = { receiptType: 'JobStartedReceipt', blob: started.blob, validatorSignature: started.signature, sent: false };
  job.startedReceipt = { timestamp, stored };
  job.receipts.push(stored);
  job.signed.push(started);
  const initial = buildMessage(V0InitialJobRequest, {
    job_uuid: job.uuid,
    executor_class: job.executorClass,
    docker_image: job.gen.baseDockerImage,
    timeout_seconds: job.gen.timeoutSeconds,
    // Plain JSON volumes: serialised as is (protocol/serialize.ts).
    volume: job.gen.volumeInInitialRequest ? (job.gen.volume as unknown as Volume) : null,
    job_started_receipt_payload: started.payload,
    job_started_receipt_signature: started.signature,
    streaming_details: job.gen.streaming && streamingCert ? streamingDetailsFor(streamingCert) : null,
    executor_timing: null,
  });
  const sent = await conn.send(initial, { timeoutMs: remaining() });
  if (job.gen.volumeInInitialRequest) job.gen.volume = null;
  if (!sent.ok) {
    timeoutEvent(sent.failure.reason);
    return;
  }
  stored.sent = true;
  const accept = await conn.waitFor(['V0AcceptJobRequest', 'V0DeclineJobRequest'], { jobUuid: job.uuid, timeoutMs: remaining(), interrupt: [] });
  if (!accept.ok) {
    noteLost(job);
    timeoutEvent(accept.failure.kind === 'timeout' ? 'TimeoutError()' : accept.failure.reason);
    return;
  }
  const acceptedAt = job.ctx.arrivals.get(`${job.uuid}|${accept.message.message_type}`) ?? clock.now();
  if (accept.message.message_type === 'V0DeclineJobRequest') {
    job.obs.accept = { kind: 'decline', reason: accept.message.reason, atMs: acceptedAt };
    job.declineReceipts = accept.message.receipts ?? [];
    return;
  }
  job.obs.accept = { kind: 'accept', atMs: acceptedAt };
  const acceptedReceipt = await run.sign(jobAcceptedPayload({
    job_uuid: job.uuid, miner_hotkey: job.miner.hotkey, validator_hotkey: run.validatorSs58,
    timestamp: canonicalDatetimeFromMs(clock.now()), time_accepted: canonicalDatetimeFromMs(acceptedAt), ttl: 360,
  }));
  const acceptedStored: StoredReceipt = { receiptType: 'JobAcceptedReceipt', blob: acceptedReceipt.blob, validatorSignature: acceptedReceipt.signature, sent: false };
  job.receipts.push(acceptedStored);
  job.signed.push(acceptedReceipt);
  const receiptSent = await conn.send(buildMessage(V0JobAcceptedReceiptRequest, { payload: acceptedReceipt.payload, signature: acceptedReceipt.signature }), {
    timeoutMs: Math.min(timings.acceptedReceiptSendMs, remaining()),
  });
  if (receiptSent.ok) acceptedStored.sent = true;
  else ev({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_SEND_ERROR', description: receiptSent.failure.reason, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_handle_job_accepted' } });
  const executor = await conn.waitFor(['V0ExecutorReadyRequest', 'V0ExecutorFailedRequest', 'V0HordeFailedRequest'], { jobUuid: job.uuid, timeoutMs: remaining(), interrupt: [] });
  if (!executor.ok) {
    noteLost(job);
    timeoutEvent(executor.failure.kind === 'timeout' ? 'TimeoutError()' : executor.failure.reason);
    return;
  }
  const at = job.ctx.arrivals.get(`${job.uuid}|${executor.message.message_type}`) ?? clock.now();
  // V0HordeFailedRequest (executor_spinup_failed) is how current miners report a failed executor.
  job.obs.executor = { kind: executor.message.message_type === 'V0ExecutorReadyRequest' ? 'ready' : 'failed', atMs: at };
}
