import { Global, Module } from '@nestjs/common';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';
import { SystemEventsService } from './system-events/system-events.service';
import { LiveFeedService } from './live/live-feed.service';
import { DynamicConfigMetrics } from './metrics/dynamic-config.metrics';

/**
 * Health checks, Prometheus metrics, system events and the live feed, for every module. The status
 * page (src/status-page/) and the stats upload (src/stats-upload/) are modules of their own above the
 * feature modules: they read them.
 */
@Global()
@Module({
  providers: [HealthService, MetricsService, SystemEventsService, LiveFeedService, DynamicConfigMetrics],
  exports: [HealthService, MetricsService, SystemEventsService, LiveFeedService],
})
export class ObservabilityModule {}
