import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../observability/metrics.service';
import { ChainService } from './chain.service';

/**
 * Chain metrics, read from the connection's state when /metrics is scraped:
 * `validator_chain_connected` (1/0), `validator_chain_head_block` (newest head seen) and
 * `validator_chain_head_age_seconds` (how long ago it was seen: the block lag an alert watches;
 * blocks come every 12 s, so more than ~30 s means the node or the connection is stuck).
 * Before the first head both are NaN (unknown), not 0.
 */
@Injectable()
export class ChainMetrics {
  constructor(metrics: MetricsService, chain: ChainService) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'validator_chain_connected',
      help: 'Whether the subtensor connection is up (1) or not (0)',
      registers,
      collect() {
        this.set(chain.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'validator_chain_head_block',
      help: 'Number of the newest block seen through the new-heads subscription',
      registers,
      collect() {
        const head = chain.lastHead;
        this.set(head ? head.number : NaN);
      },
    });
    new Gauge({
      name: 'validator_chain_head_age_seconds',
      help: 'Seconds since the newest block was seen (block lag)',
      registers,
      collect() {
        const head = chain.lastHead;
        this.set(head ? (Date.now() - head.seenAt) / 1000 : NaN);
      },
    });
  }
}
