import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { MinerRegistryService } from './registry/miner-registry.service';
import { MetagraphSyncJob } from './registry/metagraph-sync.job';
import { MinersReadModel } from './registry/miners.read-model';
import { MinerRepository } from './registry/miner.repository';

/** MinersModule: see README.md for its public interface. */
@Module({
  imports: [ChainModule],
  providers: [
    MinerRepository,
    MinerRegistryService,
    MetagraphSyncJob,
    MinersReadModel,
  ],
  exports: [
    MinerRegistryService,
    MinersReadModel,
  ],
})
export class MinersModule {}
