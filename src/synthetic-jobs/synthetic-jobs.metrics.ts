import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Subscription } from 'rxjs';
import { MetricsService } from '../observability/metrics.service';
import { SystemEventsService } from '../observability/system-events/system-events.service';
import type { BatchReport } from './batch-run/batch-runner.service';

/**
 * Synthetic batch metrics. The runner reports each batch's end (`batchFinished` / `batchFailed`);
 * batches that never ran come from the calendar's system events (OVERSLEPT: missed,
 * FAILED_TO_WAIT: its block never came in time).
 */
@Injectable()
export class SyntheticJobsMetrics implements OnModuleDestroy {
  private readonly jobs: Counter<'executor_class' | 'status' | 'failure_kind'>;
  private readonly batches: Counter<'outcome'>;
  private readonly duration: Histogram;
  private readonly lastFinished: Gauge;
  private readonly subscription: Subscription;

  constructor(metrics: MetricsService, events: SystemEventsService) {
    const registers = [metrics.registry];
    this.jobs = new Counter({
      name: 'validator_synthetic_jobs_total',
      help: 'Synthetic jobs by outcome (status COMPLETED, EXCUSED or FAILED; failure_kind for failed ones)',
      labelNames: ['executor_class', 'status', 'failure_kind'],
      registers,
    });
    this.batches = new Counter({
      name: 'validator_synthetic_batches_total',
      help: 'Synthetic batches by outcome: finished, failed (the run threw), missed (never started in time), failed_to_wait',
      labelNames: ['outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'validator_synthetic_batch_duration_seconds',
      help: 'Wall time of a synthetic batch, from its start to its stored jobs',
      buckets: [5, 10, 30, 60, 120, 180, 300, 600, 900, 1800],
      registers,
    });
    this.lastFinished = new Gauge({
      name: 'validator_synthetic_batch_last_finished_timestamp_seconds',
      help: 'Unix time at which the last synthetic batch finished',
      registers,
    });
    for (const outcome of ['finished', 'failed', 'missed', 'failed_to_wait']) this.batches.inc({ outcome }, 0);
    this.subscription = events.events$.subscribe((e) => {
      if (e.type !== 'VALIDATOR_SYNTHETIC_JOBS_FAILURE') return;
      if (e.subtype === 'OVERSLEPT') this.batches.inc({ outcome: 'missed' });
      else if (e.subtype === 'FAILED_TO_WAIT') this.batches.inc({ outcome: 'failed_to_wait' });
    });
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  batchFinished(report: BatchReport): void {
    this.batches.inc({ outcome: 'finished' });
    this.duration.observe(report.wallMs / 1000);
    this.lastFinished.set(Date.now() / 1000);
    for (const row of report.rows) {
      if (row.sent === 0) continue;
      const failed = Object.entries(row.reasons).filter(([kind]) => !kind.startsWith('skipped'));
      if (row.completed) this.jobs.inc({ executor_class: row.executorClass, status: 'COMPLETED', failure_kind: '' }, row.completed);
      if (row.excused) this.jobs.inc({ executor_class: row.executorClass, status: 'EXCUSED', failure_kind: '' }, row.excused);
      for (const [kind, n] of failed) this.jobs.inc({ executor_class: row.executorClass, status: 'FAILED', failure_kind: kind }, n);
    }
  }

  batchFailed(): void {
    this.batches.inc({ outcome: 'failed' });
  }
}
