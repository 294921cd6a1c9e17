import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { MinersModule } from '../miners/miners.module';
import { SyntheticJobsModule } from '../synthetic-jobs/synthetic-jobs.module';
import { WeightsModule } from '../weights/weights.module';
import { OrganicJobsModule } from '../organic-jobs/organic-jobs.module';
import { LiveEventsGateway } from './live-events.gateway';
import { StatusAccess } from './status-access';
import { StatusPageController } from './status-page.controller';
import { StatusSnapshotService } from './status-snapshot.service';

/**
 * The operator's status page (`/`, `/status.json`, `/login`, `/logout`) and the live feed
 * (`/ws/events`). Daemon only. It sits above the feature modules and reads them only through the
 * read models they export.
 */
@Module({
  imports: [ChainModule, MinersModule, SyntheticJobsModule, WeightsModule, OrganicJobsModule],
  controllers: [StatusPageController],
  providers: [StatusSnapshotService, StatusAccess, LiveEventsGateway],
  exports: [StatusSnapshotService, StatusAccess],
})
export class StatusPageModule {}
