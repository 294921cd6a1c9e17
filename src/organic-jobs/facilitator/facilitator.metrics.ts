import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../../observability/metrics.service';
import { FacilitatorClientService } from './facilitator-client.service';

/** The facilitator connection, read at scrape time: `validator_facilitator_connected`, `validator_organic_jobs_running`. */
@Injectable()
export class FacilitatorMetrics {
  constructor(metrics: MetricsService, client: FacilitatorClientService) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'validator_facilitator_connected',
      help: 'Whether the facilitator connection is authenticated (1) or not (0)',
      registers,
      collect() {
        this.set(client.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'validator_organic_jobs_running',
      help: 'Organic jobs being driven now',
      registers,
      collect() {
        this.set(client.jobsRunning);
      },
    });
  }
}
