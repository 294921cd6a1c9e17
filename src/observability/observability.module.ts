import { Global, Module } from '@nestjs/common';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';
import { SystemEventsService } from './system-events/system-events.service';
import { LiveFeedService } from './live/live-feed.service';
import { StatusSnapshotService } from './status/status-snapshot.service';

/** Health checks, Prometheus metrics and system events, for every module. */
@Global()
@Module({
  providers: [HealthService, MetricsService, SystemEventsService, LiveFeedService, StatusSnapshotService],
  exports: [HealthService, MetricsService, SystemEventsService, LiveFeedService, StatusSnapshotService],
})
export class ObservabilityModule {}
