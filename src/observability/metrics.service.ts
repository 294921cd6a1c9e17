import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { AppConfig } from '../config/app-config';

/** The process's Prometheus registry. Other modules register their metrics on `registry`. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(config: AppConfig) {
    collectDefaultMetrics({ register: this.registry });
    const info = new Gauge({
      name: 'validator_info',
      help: 'Validator build and configuration',
      labelNames: ['version', 'runner_version', 'netuid', 'network'],
      registers: [this.registry],
    });
    info.set(
      {
        version: config.core.VALIDATOR_VERSION === 'unknown' ? packageVersion() : config.core.VALIDATOR_VERSION,
        runner_version: config.core.VALIDATOR_RUNNER_VERSION,
        netuid: String(config.chain.BITTENSOR_NETUID),
        network: config.chain.BITTENSOR_NETWORK.startsWith('ws') ? 'custom' : config.chain.BITTENSOR_NETWORK,
      },
      1,
    );
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function packageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
