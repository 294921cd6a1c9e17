import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { Subscription } from 'rxjs';
import { MetricsService } from '../observability/metrics.service';
import { SystemEventsService } from '../observability/system-events/system-events.service';
import { WeightsReadModel, type WeightsView } from './weights.read-model';

/** Success subtypes of WEIGHT_SETTING_SUCCESS and what landed. */
const SUCCESS_KIND: Record<string, string> = {
  SET_WEIGHTS_SUCCESS: 'set',
  COMMIT_WEIGHTS_SUCCESS: 'commit',
  REVEAL_WEIGHTS_SUCCESS: 'reveal',
};

/** A timelocked commit is reported as SET_WEIGHTS_SUCCESS (reference path B); its `path` tells it apart. */
const TIMELOCKED_PATHS = new Set(['commit_timelocked_weights', 'commit_crv3_weights']);

function successKind(subtype: string, data: Record<string, unknown>): string | undefined {
  if (subtype === 'SET_WEIGHTS_SUCCESS' && typeof data.path === 'string' && TIMELOCKED_PATHS.has(data.path)) return 'timelocked_commit';
  return SUCCESS_KIND[subtype];
}

/** How long the last-landed row read is reused by scrapes. */
const LAST_LANDED_TTL_MS = 10_000;

/**
 * Weight-setting metrics, derived from the weights module's own system events (so the setting code
 * needs no hooks) and its read model:
 * `validator_weights_submissions_total{kind=set|commit|timelocked_commit|reveal}` (reveal: ours of a hash
 * commit, or the chain's of a timelocked one),
 * `validator_weights_failures_total{reason=<event subtype>}`,
 * `validator_weights_last_set_block`, `validator_weights_last_set_timestamp_seconds` and
 * `validator_weights_last_set_age_seconds` (the newest round on chain: set, committed or revealed;
 * NaN, not 0, until weights have landed once).
 */
@Injectable()
export class WeightsMetrics implements OnModuleDestroy {
  private readonly logger = new Logger(WeightsMetrics.name);
  private readonly subscription: Subscription;
  private lastLanded: { at: number; view: WeightsView | null } | null = null;

  constructor(metrics: MetricsService, events: SystemEventsService, private readonly weights: WeightsReadModel) {
    const registers = [metrics.registry];
    const submissions = new Counter({
      name: 'validator_weights_submissions_total',
      help: 'Weights that landed on chain, by kind: set (set_weights), commit (hash), timelocked_commit, reveal',
      labelNames: ['kind'],
      registers,
    });
    const failures = new Counter({
      name: 'validator_weights_failures_total',
      help: 'Failed weight-setting attempts and rounds, by reason (the WEIGHT_SETTING_FAILURE subtype)',
      labelNames: ['reason'],
      registers,
    });
    for (const kind of [...Object.values(SUCCESS_KIND), 'timelocked_commit']) submissions.inc({ kind }, 0);
    const read = () => this.landed();
    new Gauge({
      name: 'validator_weights_last_set_block',
      help: 'Block at which the newest weights on chain landed (set or committed)',
      registers,
      async collect() {
        const w = await read();
        this.set(w?.block ?? NaN);
      },
    });
    new Gauge({
      name: 'validator_weights_last_set_timestamp_seconds',
      help: 'Unix time of the newest weights on chain (their last change: set, commit or reveal)',
      registers,
      async collect() {
        const w = await read();
        this.set(w ? w.updatedAt.getTime() / 1000 : NaN);
      },
    });
    new Gauge({
      name: 'validator_weights_last_set_age_seconds',
      help: 'Seconds since the newest weights on chain landed',
      registers,
      async collect() {
        const w = await read();
        this.set(w ? (Date.now() - w.updatedAt.getTime()) / 1000 : NaN);
      },
    });
    this.subscription = events.events$.subscribe((e) => {
      const kind = e.type === 'WEIGHT_SETTING_SUCCESS' ? successKind(e.subtype, e.data) : undefined;
      if (kind) {
        submissions.inc({ kind });
        this.lastLanded = null;
      } else if (e.type === 'WEIGHT_SETTING_FAILURE' && !e.longDescription.startsWith('synthetic batch scheduling failed')) {
        // (the calendar files its scheduling errors under this type too, as the reference does)
        failures.inc({ reason: e.subtype });
      }
    });
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  private async landed(): Promise<WeightsView | null> {
    if (this.lastLanded && Date.now() - this.lastLanded.at < LAST_LANDED_TTL_MS) return this.lastLanded.view;
    try {
      this.lastLanded = { at: Date.now(), view: await this.weights.lastLanded() };
    } catch (e) {
      this.logger.warn({ err: e }, 'could not read the last weights for /metrics');
      return this.lastLanded?.view ?? null;
    }
    return this.lastLanded.view;
  }
}
