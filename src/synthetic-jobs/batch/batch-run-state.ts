import type { Clock } from '../../config/clock';
import type { MinerConnectionApi } from '../../miners/connection/types';
import type { ExecutorClass, Receipt, SignedReceiptPayload } from '../../protocol';
import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import type { StoredReceipt } from '../persistence/synthetic-job.entity';
import type { SyntheticJobGenerator } from '../generators/synthetic-job-generator';
import type { JobObservation } from './job-verdict';
import type { ReceiptSigner, SignBytes } from './receipt-signer';
import type { BatchTimings } from './batch-timings';
import type { BatchMiner } from './batch-engine-types';

/** The engine's working state during one run, shared by its stage files (not exported by the engine). */

export const LLM_CLASS: ExecutorClass = 'always_on.llm.a6000';

/** What every stage of one run uses: the clock, the deadlines, the validator's identity and the event buffer. */
export interface BatchRunContext {
  readonly clock: Clock;
  readonly timings: BatchTimings;
  /** The pair's SS58 address, encoded once (the getter re-encodes with a checksum on every call). */
  readonly validatorSs58: string;
  readonly sign: ReceiptSigner;
  readonly signBytes: SignBytes;
  /** Buffers a system event of the batch (capped per TYPE/SUBTYPE). */
  readonly ev: (e: SystemEventInput) => void;
}

export interface MinerCtx {
  miner: BatchMiner;
  conn?: MinerConnectionApi;
  /** First arrival time (clock ms) per `job_uuid|message_type`. */
  arrivals: Map<string, number>;
  lost: boolean;
  manifest: Record<string, number> | null;
}

export interface PlannedJob {
  ctx: MinerCtx;
  miner: BatchMiner;
  executorClass: ExecutorClass;
  /** Generated ahead (LLM jobs), or null: generated when its initial request is due. */
  gen: SyntheticJobGenerator | null;
}

export interface JobState {
  uuid: string;
  miner: BatchMiner;
  ctx: MinerCtx;
  executorClass: ExecutorClass;
  gen: SyntheticJobGenerator;
  obs: JobObservation;
  startedReceipt?: { timestamp: string; stored: StoredReceipt };
  declineReceipts: Receipt[];
  receipts: StoredReceipt[];
  signed: SignedReceiptPayload[];
}

/** Records that the job's miner connection was lost, when it was (the verdict names it). */
export function noteLost(job: JobState): void {
  if (job.ctx.lost || job.ctx.conn?.state === 'closed') job.obs.connectionLost = true;
}
