import { Subject } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import type { SystemEventsService } from '../observability/system-events/system-events.service';
import type { RecordedSystemEvent } from '../observability/system-events/system-event.types';
import { WeightsMetrics } from './weights.metrics';
import type { WeightsReadModel, WeightsView } from './weights.read-model';

describe('weights metrics', () => {
  it('counts landed weights by kind and failures by reason from the weights events; last set from the read model', async () => {
    const metrics = new MetricsService(AppConfig.fromEnv({}));
    const stream = new Subject<RecordedSystemEvent>();
    let landed: Partial<WeightsView> | null = null;
    const model = { lastLanded: async () => landed } as unknown as WeightsReadModel;
    const m = new WeightsMetrics(metrics, { events$: stream.asObservable() } as unknown as SystemEventsService, model);
    const ev = (type: string, subtype: string, data: Record<string, unknown> = {}, longDescription = '') =>
      stream.next({ id: '1', type, subtype, timestamp: new Date(), longDescription, data } as unknown as RecordedSystemEvent);
    expect((await metrics.render()).body).toContain('validator_weights_last_set_block Nan') // prom-client's spelling of NaN;
    ev('WEIGHT_SETTING_SUCCESS', 'SET_WEIGHTS_SUCCESS', { path: 'commit_timelocked_weights' }, 'reveal_round:1000');
    ev('WEIGHT_SETTING_SUCCESS', 'COMMIT_WEIGHTS_SUCCESS', { path: 'commit_weights' });
    ev('WEIGHT_SETTING_SUCCESS', 'REVEAL_WEIGHTS_SUCCESS');
    ev('WEIGHT_SETTING_SUCCESS', 'SET_WEIGHTS_SUCCESS', { path: 'set_weights' });
    ev('WEIGHT_SETTING_FAILURE', 'COMMIT_WEIGHTS_ERROR');
    ev('WEIGHT_SETTING_FAILURE', 'GENERIC_ERROR', {}, 'synthetic batch scheduling failed: no validators'); // the calendar's, not counted
    landed = { block: 1234, updatedAt: new Date(Date.now() - 30_000) };
    const text = (await metrics.render()).body;
    for (const kind of ['set', 'commit', 'timelocked_commit', 'reveal']) expect(text).toContain(`validator_weights_submissions_total{kind="${kind}"} 1`);
    expect(text).toContain('validator_weights_failures_total{reason="COMMIT_WEIGHTS_ERROR"} 1');
    expect(text).not.toContain('reason="GENERIC_ERROR"');
    expect(text).toContain('validator_weights_last_set_block 1234');
    expect(Number(/^validator_weights_last_set_age_seconds (\S+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(30);
    m.onModuleDestroy();
  });
});
