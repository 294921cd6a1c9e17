import type { KeyringPair } from '@polkadot/keyring/types';
import type { Clock } from '../../config/clock';
import type { MinerConnectionApi, MinerConnectionFailure } from '../../miners/connection/types';
import type { ExecutorClass, MinerToValidatorMessage, SignedReceiptPayload, ValidatorAuthForMiner } from '../../protocol';
import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import type { StoredReceipt } from '../persistence/synthetic-job.entity';
import type { SyntheticJobGenerator } from '../generators/synthetic-job-generator';
import type { ActiveValidator } from '../../protocol/excuses';
import type { Verdict } from './job-verdict';
import type { SignBytes } from './receipt-signer';
import type { BatchTimings } from './batch-timings';

/** What the batch engine takes and returns (its public interface beside `SyntheticBatchEngine`). */

export interface BatchMiner {
  id: string;
  hotkey: string;
  address: string;
  port: number;
  ipVersion: number;
}

export interface BatchEngineConfig {
  /** Hard caps per class (DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS). */
  maxPerClass: ReadonlyMap<ExecutorClass, number>;
  /** Non-peak limits; null inside the peak cycle. */
  nonPeak: null | {
    /** Online executor counts of the peak batch per miner hotkey and class; null when no peak batch. */
    peakCounts: ReadonlyMap<string, ReadonlyMap<string, number>> | null;
    ratio: number;
    missedPeakDefaults: ReadonlyMap<ExecutorClass, number>;
  };
  excusedScore: number;
  minimumStakeForExcuse: number;
  /** Per `TYPE/SUBTYPE` cap on buffered events. */
  eventLimits: ReadonlyMap<string, number>;
  rejectDuplicateExcuses: boolean;
  /** DYNAMIC_SYNTHETIC_STREAMING_JOB_READY_TIMEOUT in ms (default 300 s); streaming jobs are those whose generator has `streaming`. */
  streamingReadyTimeoutMs?: number;
}

export interface JobFactory {
  /** A job for one executor of `miner`; throws when the job cannot be generated (aborts the batch). */
  create(miner: BatchMiner, executorClass: ExecutorClass): SyntheticJobGenerator | Promise<SyntheticJobGenerator>;
  /**
   * Reserves LLM prompt samples for `count` executors; returns false when there are not enough
   * (LLM-class jobs are then skipped with `reason`).
   */
  reserveLlm?(count: number): Promise<{ ok: true } | { ok: false; reason: string }>;
}

export type BatchProgress =
  | { stage: 'manifests'; done: number; total: number }
  | { stage: 'jobs-generated'; jobs: number; miners: number }
  | { stage: 'initial-requests'; done: number; total: number }
  | { stage: 'job-requests'; done: number; total: number }
  | { stage: 'scored' }
  | { stage: 'receipts-sent' }
  | { stage: 'closed' };

export interface BatchEngineDeps {
  clock: Clock;
  pair: KeyringPair;
  /** Signs receipts' bytes with `pair` (e.g. on a worker thread); default `pair.sign`. */
  signBytes?: SignBytes;
  openConnection(miner: BatchMiner, opts: { maxRetries: number; firstAuth?: ValidatorAuthForMiner; onMessage: (m: MinerToValidatorMessage) => void; onFailure: (f: MinerConnectionFailure) => void }): MinerConnectionApi;
  jobs: JobFactory;
  timings?: Partial<BatchTimings>;
  onProgress?: (p: BatchProgress) => void;
}

export interface BatchEngineInput {
  batchBlock: number;
  miners: readonly BatchMiner[];
  activeValidators: readonly ActiveValidator[];
  config: BatchEngineConfig;
}

export interface JobOutcome {
  jobUuid: string;
  miner: BatchMiner;
  executorClass: ExecutorClass;
  description: string;
  verdict: Verdict;
  receipts: StoredReceipt[];
  /** The same receipts as signed payloads (for the receipts store). */
  signed: SignedReceiptPayload[];
  excusedBy: string[];
}

export interface SkippedJobs {
  minerHotkey: string;
  executorClass: ExecutorClass;
  count: number;
  reason: string;
}

export interface BatchEngineResult {
  batchUuid: string;
  /** Per miner hotkey: the manifest (class -> count), or null when none arrived. */
  manifests: Map<string, Record<string, number> | null>;
  /** Per miner hotkey: why it got no manifest. */
  minerFailures: Map<string, string>;
  /** Counts after caps and non-peak limits. */
  limitedCounts: Map<string, Map<ExecutorClass, number>>;
  jobs: JobOutcome[];
  skipped: SkippedJobs[];
  events: SystemEventInput[];
  /**
   * Settles when every miner connection has closed (each bounded by closeMs). The result is complete
   * before that: callers persist it meanwhile and await this before they finish.
   */
  closed: Promise<void>;
}
