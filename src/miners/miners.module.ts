import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { MinerRegistryService } from './registry/miner-registry.service';
import { MetagraphSyncJob } from './registry/metagraph-sync.job';
import { MinersReadModel } from './registry/miners.read-model';

/** MinersModule: see README.md for its public interface. */
@Module({
  imports: [ChainModule],
  providers: [
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
