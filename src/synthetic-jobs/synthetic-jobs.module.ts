import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { MinersModule } from '../miners/miners.module';
import { S3Module } from '../s3/s3.module';
import { ReceiptsModule } from '../receipts/receipts.module';
import { TrustedMinerModule } from './trusted-miner/trusted-miner.module';
import { SyntheticChainReader } from './calendar/synthetic-chain.reader';
import { ChainSyntheticChainReader } from './calendar/synthetic-chain-reader-over-chain-service';
import { SyntheticMinersService } from './participants/synthetic-miners.service';
import { SyntheticBatchRunnerService } from './batch-run/batch-runner.service';
import { SyntheticCalendarService } from './calendar/synthetic-calendar.service';
import { ManifestPollService } from './manifests/manifest-poll.service';
import { SyntheticJobsReadModel } from './synthetic-jobs.read-model';
import { SyntheticBatchRepository } from './persistence/synthetic-batch.repository';
import { MinerManifestRepository } from './persistence/miner-manifest.repository';
import { BatchSystemEventsRepository } from './persistence/batch-system-events.repository';
import { BatchMinersRepository } from './persistence/batch-miners.repository';
import { SyntheticJobsMetrics } from './synthetic-jobs.metrics';

/** SyntheticJobsModule: see README.md for its public interface. */
@Module({
  imports: [ChainModule, MinersModule, S3Module, TrustedMinerModule, ReceiptsModule],
  providers: [
    SyntheticBatchRepository,
    MinerManifestRepository,
    BatchSystemEventsRepository,
    BatchMinersRepository,
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
