/** What routing hands to the miner driver (organic-jobs.md §5). */
export interface MinerTarget {
  hotkey: string;
  address: string;
  port: number;
  ipVersion: number;
}

export interface JobRoute {
  kind: 'normal' | 'debug' | 'trusted';
  miner: MinerTarget;
  /** null for trusted routes; [] for debug routes and (without the allowance system) for normal routes. */
  allowanceBlocks: number[] | null;
  allowanceReservationId: bigint | null;
  /** executor-seconds charged (the finished receipt's score_str); null for trusted/debug routes. */
  allowanceJobValue: number | null;
}

export type NoMinerReason = 'NotEnoughAllowanceException' | 'AllMinersBusy' | 'NotEnoughCollateralException';

/** Routing found no miner: the facilitator gets `rejected` / `no_miner_for_job` with this exception type. */
export class NoMinerForJob extends Error {
  constructor(readonly exceptionType: NoMinerReason, message: string) {
    super(message);
    this.name = exceptionType;
  }
}
