import { Subject } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import type { SystemEventsService } from '../observability/system-events/system-events.service';
import type { RecordedSystemEvent } from '../observability/system-events/system-event.types';
import { SyntheticJobsMetrics } from './synthetic-jobs.metrics';

describe('synthetic batch metrics', () => {
  it('counts jobs by outcome and failure kind, batches by outcome, and the batch duration', async () => {
    const metrics = new MetricsService(AppConfig.fromEnv({}));
    const stream = new Subject<RecordedSystemEvent>();
    const m = new SyntheticJobsMetrics(metrics, { events$: stream.asObservable() } as unknown as SystemEventsService);
    m.batchFinished({
      batchId: '1', block: 100, miners: 3, jobs: 5, wallMs: 42_000,
      rows: [
        { minerHotkey: 'a', executorClass: 'spin_up-4min.gpu-24gb', sent: 3, completed: 1, excused: 1, failed: 1, reasons: { TIMED_OUT: 1 } },
        { minerHotkey: 'b', executorClass: 'spin_up-4min.gpu-24gb', sent: 2, completed: 0, excused: 0, failed: 2, reasons: { WRONG_ANSWER: 2, 'skipped 1: no samples': 1 } },
        { minerHotkey: 'c', executorClass: '-', sent: 0, completed: 0, excused: 0, failed: 0, reasons: { 'manifest lists no executors': 1 } },
      ],
    });
    stream.next({ id: '1', type: 'VALIDATOR_SYNTHETIC_JOBS_FAILURE', subtype: 'OVERSLEPT', timestamp: new Date(), longDescription: '', data: {} });
    const text = (await metrics.render()).body;
    expect(text).toContain('validator_synthetic_jobs_total{executor_class="spin_up-4min.gpu-24gb",status="COMPLETED",failure_kind=""} 1');
    expect(text).toContain('validator_synthetic_jobs_total{executor_class="spin_up-4min.gpu-24gb",status="EXCUSED",failure_kind=""} 1');
    expect(text).toContain('validator_synthetic_jobs_total{executor_class="spin_up-4min.gpu-24gb",status="FAILED",failure_kind="TIMED_OUT"} 1');
    expect(text).toContain('validator_synthetic_jobs_total{executor_class="spin_up-4min.gpu-24gb",status="FAILED",failure_kind="WRONG_ANSWER"} 2');
    expect(text).not.toContain('skipped');
    expect(text).toContain('validator_synthetic_batches_total{outcome="finished"} 1');
    expect(text).toContain('validator_synthetic_batches_total{outcome="missed"} 1');
    expect(text).toContain('validator_synthetic_batch_duration_seconds_sum 42');
    m.onModuleDestroy();
  });
});
