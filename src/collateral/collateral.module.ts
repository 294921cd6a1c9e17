import { Module } from '@nestjs/common';
import { CollateralChainReader, PolkadotCollateralChainReader } from './chain/collateral-chain-reader';
import { ModuleRef } from '@nestjs/core';
import { ChainService } from '../chain/chain.service';
import { CollateralValidatorIdentity } from './collateral-validator-identity';
import { CollateralContractDiscovery } from './discovery/contract-discovery.service';
import { EvmEndpoint } from './evm/evm-endpoint.service';
import { ContractCollateralGate } from './gate/contract-collateral-gate';
import { CollateralSlashingService } from './slashing/collateral-slashing.service';
import { CollateralSyncSchedule } from './sync/collateral-sync.schedule';
import { CollateralSyncService } from './sync/collateral-sync.service';
import { CollateralSlashRepository } from './persistence/collateral-slash.repository';
import { MinerCollateralRepository } from './persistence/miner-collateral.repository';

/**
 * CollateralModule: see README.md for its public interface. ContractCollateralGate implements
 * organic-jobs' CollateralGate port; the composition root binds it (wiring/collateral-gate.binding.ts).
 */
@Module({
  providers: [
    {
      // The chain module's connection, looked up on use: collateral never holds up start-up.
      provide: CollateralChainReader,
      useFactory: (moduleRef: ModuleRef) => new PolkadotCollateralChainReader(() => moduleRef.get(ChainService, { strict: false }).api()),
      inject: [ModuleRef],
    },
    CollateralValidatorIdentity,
    CollateralSlashRepository,
    MinerCollateralRepository,
    EvmEndpoint,
    CollateralContractDiscovery,
    CollateralSyncService,
    CollateralSyncSchedule,
    CollateralSlashingService,
    ContractCollateralGate,
  ],
  exports: [ContractCollateralGate, CollateralSyncService, CollateralSlashingService, CollateralContractDiscovery],
})
export class CollateralModule {}
