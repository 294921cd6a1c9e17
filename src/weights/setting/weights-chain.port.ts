import type { NeuronRef, SubnetWeightLimits } from '../engine';

export interface ChainBlock {
  number: number;
  hash: string;
}

/** What a round reads at the head: neurons (uid order), weight limits, the subnet's commit-reveal flag. */
export interface WeightsChainState {
  neurons: NeuronRef[];
  limits: SubnetWeightLimits;
  commitRevealEnabled: boolean;
}

/** `final`: refused before sending for a reason no retry fixes (unsupported runtime, bad beacon config, too large). */
export type SubmitOutcome = { ok: true; message: string } | { ok: false; timeout?: boolean; final?: boolean; message: string };

/** A drand-timelocked commit as the chain files it: what the validator needs to follow it up. */
export interface TimelockRecord {
  path: 'commit_crv3_weights' | 'commit_timelocked_weights';
  revealRound: number;
  commitEpoch: number;
  /** The blocks in which the chain reveals it (one block on runtime 293, the reveal epoch on v4). */
  firstRevealBlock: number;
  lastRevealBlock: number;
}

export type TimelockedSubmitOutcome = { ok: true; message: string; record: TimelockRecord; block: number } | Extract<SubmitOutcome, { ok: false }>;

/** Whether the chain applied a timelocked commit, read after its reveal blocks. */
export type RevealVerdict =
  | { state: 'pending'; detail: string }
  | { state: 'applied'; block: number; weightsMatch: boolean; detail: string }
  | { state: 'not-applied'; cause: 'pulse-missing' | 'dropped' | 'unknown'; detail: string; lastStoredRound: number | null };

export interface PendingCommit {
  commitHash: string;
  firstRevealBlock: number;
  lastRevealBlock: number;
}

export interface WeightsPayload {
  uids: number[];
  values: number[];
  versionKey: bigint;
}

/**
 * The chain as weight setting needs it. The adapter over the chain module's services is
 * ChainWeightsAdapter; unit tests of the round logic replace it.
 */
export abstract class WeightsChainPort {
  abstract head(): Promise<ChainBlock>;
  abstract state(at: ChainBlock): Promise<WeightsChainState>;
  abstract setWeights(payload: WeightsPayload): Promise<SubmitOutcome>;
  abstract commitWeights(payload: WeightsPayload, salt: number[]): Promise<SubmitOutcome & { commitHash?: string }>;
  abstract revealWeights(payload: WeightsPayload, salt: number[]): Promise<SubmitOutcome>;
  /** This validator's unrevealed hash commits on the subnet, with the blocks the chain accepts their reveal in. */
  abstract pendingCommits(): Promise<PendingCommit[]>;
  /** The commit hash the chain will recompute on reveal. */
  abstract commitHash(payload: WeightsPayload, salt: number[]): string;
  /**
   * drand-timelocked commit (v4 or v3, as the runtime offers). `onPlan` receives the reveal plan
   * before the extrinsic is sent, so a crash while sending leaves the row able to find the commit.
   */
  abstract commitTimelocked(payload: WeightsPayload, onPlan: (record: TimelockRecord) => Promise<void>): Promise<TimelockedSubmitOutcome>;
  /** Whether our commit of `record` waits in the chain's queue (landed, not revealed yet). */
  abstract timelockedQueued(record: TimelockRecord): Promise<boolean>;
  /** After the reveal blocks: did the chain apply it, and if not the likely cause. */
  abstract checkTimelockedReveal(record: TimelockRecord, payload: WeightsPayload): Promise<RevealVerdict>;
}
