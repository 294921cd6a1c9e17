import type { MinerConnectionApi } from '../../miners/connection/types';
import { buildMessage, canonicalDatetimeFromMs, jobFinishedPayload, V0JobFinishedReceiptRequest } from '../../protocol';
import type { StoredReceipt } from '../persistence/synthetic-job.entity';
import { formatG6 } from './batch-config';
import type { JobOutcome } from './batch-engine-types';
import type { BatchRunContext, JobState } from './batch-run-state';

/** Stage 9 for one job that answered: signs the JobFinishedReceipt with its score and sends it (bounded by finishedReceiptSendMs). */
export async function sendFinishedReceipt(job: JobState, outcome: JobOutcome, run: BatchRunContext): Promise<void> {
  const { clock, ev } = run;
  const conn = job.ctx.conn as MinerConnectionApi;
  const r = job.obs.response;
  const sentAt = job.obs.jobSentAtMs;
  if (!r || sentAt === undefined) {
    ev({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_SEND_ERROR', description: 'job response arrived before the job request: no time_started', data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_send_job_finished_receipts' } });
    return;
  }
  const tookUs = Math.max(0, Math.trunc((r.atMs - sentAt) * 1000));
  const receipt = await run.sign(jobFinishedPayload({
    job_uuid: job.uuid, miner_hotkey: job.miner.hotkey, validator_hotkey: run.validatorSs58, timestamp: canonicalDatetimeFromMs(clock.now()),
    time_started: canonicalDatetimeFromMs(sentAt), time_took_us: tookUs, score_str: formatG6(outcome.verdict.score),
  }));
  const stored: StoredReceipt = { receiptType: 'JobFinishedReceipt', blob: receipt.blob, validatorSignature: receipt.signature, sent: false };
  job.receipts.push(stored);
  job.signed.push(receipt);
  const sent = await conn.send(buildMessage(V0JobFinishedReceiptRequest, { payload: receipt.payload, signature: receipt.signature }), { timeoutMs: run.timings.finishedReceiptSendMs });
  if (sent.ok) stored.sent = true;
  else ev({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_SEND_ERROR', description: sent.failure.reason, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, func: '_send_job_finished_receipts' } });
}
