import { Global, Module } from '@nestjs/common';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';
import { SystemEventsService } from './system-events/system-events.service';

/** Health checks, Prometheus metrics and system events, for every module. */
@Global()
@Module({
  providers: [HealthService, MetricsService, SystemEventsService],
  exports: [HealthService, MetricsService, SystemEventsService],
})
export class ObservabilityModule {}
