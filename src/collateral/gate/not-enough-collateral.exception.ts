/**
 * Every allowance-eligible miner was filtered out by the minimum-collateral rule (reference:
 * `NotEnoughCollateralException`, a `JobRoutingException`). The facilitator client reports it as a
 * `no_miner_for_job` rejection with `context.exception_type` = this class's name.
 */
export class NotEnoughCollateralException extends Error {
  override readonly name = 'NotEnoughCollateralException';

  constructor(
    readonly threshold: bigint,
    readonly candidates: number,
  ) {
    super(`none of ${candidates} candidate miner(s) has collateral >= ${threshold} wei`);
  }
}
