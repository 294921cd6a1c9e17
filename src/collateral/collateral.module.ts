import { Module } from '@nestjs/common';
import { CollateralGate } from '../organic-jobs/routing/collateral-gate';
import { CollateralChainReader, PolkadotCollateralChainReader } from './chain/collateral-chain-reader';
import { CollateralSubstrateApi } from './chain/collateral-substrate-api';
import { CollateralValidatorIdentity } from './collateral-validator-identity';
import { CollateralContractDiscovery } from './discovery/contract-discovery.service';
import { EvmEndpoint } from './evm/evm-endpoint.service';
import { ContractCollateralGate } from './gate/contract-collateral-gate';
import { CollateralSlashingService } from './slashing/collateral-slashing.service';
import { CollateralSyncSchedule } from './sync/collateral-sync.schedule';
import { CollateralSyncService } from './sync/collateral-sync.service';

/** CollateralModule: see README.md for its public interface. */
@Module({
  providers: [
    CollateralSubstrateApi,
    {
      provide: CollateralChainReader,
      useFactory: (api: CollateralSubstrateApi) => new PolkadotCollateralChainReader(() => api.get()),
      inject: [CollateralSubstrateApi],
    },
    CollateralValidatorIdentity,
    EvmEndpoint,
    CollateralContractDiscovery,
    CollateralSyncService,
    CollateralSyncSchedule,
    CollateralSlashingService,
    ContractCollateralGate,
    { provide: CollateralGate, useExisting: ContractCollateralGate },
  ],
  exports: [CollateralGate, ContractCollateralGate, CollateralSyncService, CollateralSlashingService, CollateralContractDiscovery],
})
export class CollateralModule {}
