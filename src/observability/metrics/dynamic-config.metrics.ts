import { Injectable, Optional } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DynamicConfigFetchStatus } from '../../config/dynamic/dynamic-config-fetch-status';
import { MetricsService } from '../metrics.service';

/**
 * Age of the dynamic config fetched from the subnet owner's sources, per source, read at scrape
 * time from what the fetch records in `DynamicConfigFetchStatus`:
 * `validator_dynamic_config_fetch_age_seconds`, `validator_dynamic_config_last_fetch_timestamp_seconds`
 * (last success) and `validator_dynamic_config_fetch_failures` (failures since the last success).
 */
@Injectable()
export class DynamicConfigMetrics {
  constructor(metrics: MetricsService, @Optional() status?: DynamicConfigFetchStatus) {
    const registers = [metrics.registry];
    const each = (fn: (g: Gauge<'source'>, s: ReturnType<DynamicConfigFetchStatus['all']>[number]) => void) =>
      function (this: Gauge<'source'>) {
        for (const s of status?.all() ?? []) fn(this, s);
      };
    new Gauge({
      name: 'validator_dynamic_config_fetch_age_seconds',
      help: 'Seconds since the dynamic config was last fetched successfully from this source',
      labelNames: ['source'],
      registers,
      collect: each((g, s) => s.lastSuccessAt && g.set({ source: s.source }, (Date.now() - s.lastSuccessAt.getTime()) / 1000)),
    });
    new Gauge({
      name: 'validator_dynamic_config_last_fetch_timestamp_seconds',
      help: 'Unix time of the last successful dynamic-config fetch from this source',
      labelNames: ['source'],
      registers,
      collect: each((g, s) => s.lastSuccessAt && g.set({ source: s.source }, s.lastSuccessAt.getTime() / 1000)),
    });
    new Gauge({
      name: 'validator_dynamic_config_fetch_failures',
      help: 'Failed dynamic-config fetches from this source since its last success',
      labelNames: ['source'],
      registers,
      collect: each((g, s) => g.set({ source: s.source }, s.consecutiveFailures)),
    });
  }
}
