import { Global, Module } from '@nestjs/common';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';
import { SystemEventsService } from './system-events/system-events.service';
import { LiveFeedService } from './live/live-feed.service';
import { DynamicConfigMetrics } from './metrics/dynamic-config.metrics';

/**
 * Health checks, Prometheus metrics, system events and the live feed, for every module. The status
 * page is a separate module (status/status-page.module.ts): it reads the feature modules.
 */
@Global()
@Module({
  providers: [HealthService, MetricsService, SystemEventsService, LiveFeedService, DynamicConfigMetrics],
  exports: [HealthService, MetricsService, SystemEventsService, LiveFeedService],
})
export class ObservabilityModule {}
