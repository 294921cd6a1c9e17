import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { MinerRegistryService } from './registry/miner-registry.service';
import { MetagraphSyncJob } from './registry/metagraph-sync.job';

/** MinersModule: see README.md for its public interface. */
@Module({
  imports: [ChainModule],
  providers: [
    MinerRegistryService,
    MetagraphSyncJob,
  ],
  exports: [
    MinerRegistryService,
  ],
})
export class MinersModule {}
