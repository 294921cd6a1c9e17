import { DynamicModule, Module } from '@nestjs/common';
import { CollateralModule } from '../collateral/collateral.module';
import { ContractCollateralGate } from '../collateral/gate/contract-collateral-gate';
import { CollateralGate, NoCollateralGate } from '../organic-jobs/routing/collateral-gate';

/**
 * Binds organic routing's `CollateralGate` port. It lives at the composition root so that
 * organic-jobs never imports collateral (the port stays in organic-jobs, the adapter in collateral).
 * Global, so every module of the graph (organic-jobs, the status page) injects the one binding.
 */
@Module({})
export class CollateralGateBinding {
  /**
   * - `contract`: the collateral contract decides (ContractCollateralGate; it passes every miner while
   *   no contract is published). The daemon and the CLI use this.
   * - `off`: collateral disabled: NoCollateralGate (every miner eligible, nothing slashed). Benchmarks
   *   and suites without an EVM use this.
   */
  static forRoot(opts: { collateral: 'contract' | 'off' }): DynamicModule {
    if (opts.collateral === 'contract') {
      return {
        module: CollateralGateBinding,
        global: true,
        imports: [CollateralModule],
        providers: [{ provide: CollateralGate, useExisting: ContractCollateralGate }],
        exports: [CollateralGate],
      };
    }
    return {
      module: CollateralGateBinding,
      global: true,
      providers: [{ provide: CollateralGate, useClass: NoCollateralGate }],
      exports: [CollateralGate],
    };
  }
}
