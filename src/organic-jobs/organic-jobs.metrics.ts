import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { Subscription } from 'rxjs';
import { MetricsService } from '../observability/metrics.service';
import { LiveFeedService } from '../observability/live/live-feed.service';

/**
 * Organic-job metrics: the reference's `validator_miner_incident_reported_total` (the driver reports
 * each incident it stores) and job statuses as the live feed carries them
 * (`validator_organic_job_status_total{status}`). The facilitator connection: facilitator/facilitator.metrics.ts.
 * (This file imports nothing of the job path: the driver imports it.)
 */
@Injectable()
export class OrganicJobsMetrics implements OnModuleDestroy {
  private readonly incidents: Counter<'incident_type' | 'miner_hotkey' | 'executor_class'>;
  private readonly subscription: Subscription;

  constructor(metrics: MetricsService, feed: LiveFeedService) {
    const registers = [metrics.registry];
    this.incidents = new Counter({
      name: 'validator_miner_incident_reported_total',
      help: 'Miner incidents recorded (they lower the miner in routing)',
      labelNames: ['incident_type', 'miner_hotkey', 'executor_class'],
      registers,
    });
    const statuses = new Counter({
      name: 'validator_organic_job_status_total',
      help: 'Organic job status changes, by status (as published on the live feed)',
      labelNames: ['status'],
      registers,
    });
    this.subscription = feed.jobStatus$.subscribe((e) => {
      if (e.jobKind === 'organic') statuses.inc({ status: e.status });
    });
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  incidentReported(incidentType: string, minerHotkey: string, executorClass: string): void {
    this.incidents.inc({ incident_type: incidentType, miner_hotkey: minerHotkey, executor_class: executorClass });
  }
}
