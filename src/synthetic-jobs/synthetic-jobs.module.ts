import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { MinersModule } from '../miners/miners.module';
import { S3Module } from '../s3/s3.module';
import { ReceiptsModule } from '../receipts/receipts.module';
import { TrustedMinerModule } from './trusted-miner/trusted-miner.module';
import { SyntheticChainReader } from './services/synthetic-chain.reader';
import { ChainSyntheticChainReader } from './services/chain-synthetic-chain.reader';
import { SyntheticMinersService } from './services/synthetic-miners.service';
import { SyntheticBatchRunnerService } from './services/batch-runner.service';
import { SyntheticCalendarService } from './services/synthetic-calendar.service';
import { ManifestPollService } from './services/manifest-poll.service';
import { SyntheticJobsReadModel } from './synthetic-jobs.read-model';
import { SyntheticJobsMetrics } from './synthetic-jobs.metrics';

/** SyntheticJobsModule: see README.md for its public interface. */
@Module({
  imports: [ChainModule, MinersModule, S3Module, TrustedMinerModule, ReceiptsModule],
  providers: [
    { provide: SyntheticChainReader, useClass: ChainSyntheticChainReader },
    SyntheticMinersService,
    SyntheticBatchRunnerService,
    SyntheticCalendarService,
    ManifestPollService,
    SyntheticJobsReadModel,
    SyntheticJobsMetrics,
  ],
  exports: [SyntheticChainReader, SyntheticMinersService, SyntheticBatchRunnerService, SyntheticCalendarService, ManifestPollService, SyntheticJobsReadModel],
})
export class SyntheticJobsModule {}
