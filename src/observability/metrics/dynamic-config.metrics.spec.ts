import { AppConfig } from '../../config/app-config';
import { DynamicConfigFetchStatus } from '../../config/dynamic/dynamic-config-fetch-status';
import { MetricsService } from '../metrics.service';
import { DynamicConfigMetrics } from './dynamic-config.metrics';

describe('dynamic-config fetch metrics', () => {
  it('shows the age of the last successful fetch and the failures since, per source', async () => {
    const metrics = new MetricsService(AppConfig.fromEnv({}));
    const status = new DynamicConfigFetchStatus();
    new DynamicConfigMetrics(metrics, status);
    expect(await metrics.registry.getSingleMetricAsString('validator_dynamic_config_fetch_age_seconds')).not.toMatch(/source=/);

    status.recordFetch({ source: 'github', ok: true, at: new Date(Date.now() - 90_000) });
    status.recordFetch({ source: 'github', ok: false, error: 'HTTP 503\nbody' });
    status.recordFetch({ source: 'github', ok: false, error: 'timeout' });
    const text = (await metrics.render()).body;
    const age = Number(/validator_dynamic_config_fetch_age_seconds\{source="github"\} (\S+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(100);
    expect(text).toMatch(/validator_dynamic_config_fetch_failures\{source="github"\} 2/);
    expect(status.all()[0]).toMatchObject({ consecutiveFailures: 2, lastError: 'timeout' });

    status.recordFetch({ source: 'github', ok: true });
    expect((await metrics.render()).body).toMatch(/validator_dynamic_config_fetch_failures\{source="github"\} 0/);
  });
});
