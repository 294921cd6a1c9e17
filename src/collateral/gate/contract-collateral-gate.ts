import { Injectable, Logger } from '@nestjs/common';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { CollateralGate } from '../../organic-jobs/routing/collateral-gate';
import { CollateralContractDiscovery } from '../discovery/contract-discovery.service';
import { MinerCollateralRepository } from '../persistence/miner-collateral.repository';
import { CollateralSlashingService } from '../slashing/collateral-slashing.service';
import { NotEnoughCollateralException } from './not-enough-collateral.exception';

/**
 * The collateral seam of organic routing, backed by the contract:
 * - no contract discovered: every miner passes (threshold null), routing as if collateral did not exist;
 * - DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI <= 0: filter disabled (threshold echoed);
 * - else only miners whose stored `collateral_wei` >= threshold (inclusive) pass; if listing them
 *   fails the filter is skipped (the reference fails open); if none pass, NotEnoughCollateralException.
 */
@Injectable()
export class ContractCollateralGate extends CollateralGate {
  private readonly logger = new Logger(ContractCollateralGate.name);

  constructor(
    private readonly miners: MinerCollateralRepository,
    private readonly dynamic: DynamicConfigService,
    private readonly discovery: CollateralContractDiscovery,
    private readonly slashing: CollateralSlashingService,
  ) {
    super();
  }

  async filterMiners(hotkeys: string[]): Promise<{ eligible: string[]; threshold: bigint | null }> {
    const contract = await this.discovery.current();
    if (contract.state === 'none') return { eligible: hotkeys, threshold: null };
    const threshold = await this.dynamic.get('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI');
    if (threshold <= 0n) return { eligible: hotkeys, threshold };
    let sufficient: Set<string>;
    try {
      sufficient = await this.minersWithSufficientCollateral(threshold);
    } catch (e) {
      this.logger.error({ err: e }, 'could not list miners with sufficient collateral; routing without the collateral filter');
      return { eligible: hotkeys, threshold };
    }
    const eligible = hotkeys.filter((h) => sufficient.has(h));
    if (eligible.length === 0) throw new NotEnoughCollateralException(threshold, hotkeys.length);
    return { eligible, threshold };
  }

  /** Hotkeys whose stored collateral is >= threshold (read from the database, not the chain). */
  async minersWithSufficientCollateral(threshold: bigint): Promise<Set<string>> {
    return this.miners.hotkeysWithCollateralAtLeast(threshold);
  }

  async slashForCheatedJob(input: { jobUuid: string; minerHotkey: string; details: string }): Promise<void> {
    await this.slashing.slashForCheatedJob(input);
  }
}
