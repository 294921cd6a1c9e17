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

export type SubmitOutcome = { ok: true; message: string } | { ok: false; timeout?: boolean; message: string };

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
}
