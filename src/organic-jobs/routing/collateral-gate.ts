import { Injectable, Logger } from '@nestjs/common';

/**
 * The collateral seam of routing (organic-jobs.md §5.6, §8.3). The collateral module provides the real
 * implementation (minimum-collateral filter, EVM slashing); the composition root binds it, or the
 * implementation below when collateral is off (src/wiring/collateral-gate.binding.ts).
 */
export abstract class CollateralGate {
  abstract filterMiners(hotkeys: string[]): Promise<{ eligible: string[]; threshold: bigint | null }>;
  abstract slashForCheatedJob(input: { jobUuid: string; minerHotkey: string; details: string }): Promise<void>;
}

/** Collateral off: every miner is eligible and nothing is slashed (both said in the logs). */
@Injectable()
export class NoCollateralGate extends CollateralGate {
  private readonly logger = new Logger('NoCollateralGate');
  private announced = false;

  async filterMiners(hotkeys: string[]): Promise<{ eligible: string[]; threshold: bigint | null }> {
    if (!this.announced) {
      this.announced = true;
      this.logger.log('collateral is not configured: routing does not filter miners by collateral');
    }
    return { eligible: hotkeys, threshold: null };
  }

  async slashForCheatedJob(input: { jobUuid: string; minerHotkey: string; details: string }): Promise<void> {
    this.logger.warn({ jobUuid: input.jobUuid, minerHotkey: input.minerHotkey }, 'collateral is not configured: cheated job not slashed');
  }
}
