import type { JobStatusUpdate } from '../../protocol/facilitator';
import type { OrganicJobStatus } from '../persistence/organic-job.entity';
import type { JobRoute } from '../routing/route';
import type { OrganicJobSpec } from './organic-job-spec';

export interface DriveInput {
  spec: OrganicJobSpec;
  route: JobRoute;
  /** Receives every status update in order; awaited before the driver goes on. */
  onStatus: (update: JobStatusUpdate) => Promise<void>;
  /** Aborting stops the job where it is (validator shutdown): it ends `horde_failed`, the miner is not blamed. */
  signal?: AbortSignal;
  /** Observability hooks (benchmark): called synchronously. */
  onInitialRequestSent?: () => void;
  onFinalMinerMessage?: () => void;
}

export interface DriveResult {
  status: OrganicJobStatus;
  comment: string;
  /** Machine-readable outcome, stored in organic_job.outcome_reason. */
  outcomeReason: string;
  onTrustedMiner: boolean;
  minerHotkey: string;
  /** False when the job failed for a reason that is not the miner's (validator shutdown). */
  minerAtFault: boolean;
}

/** What one drive learned on the way (for the outcome). */
export interface DriveProgress {
  startedTimestamp: string | null;
  lastStatus: string;
}
