import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface HealthCheckResult {
  ok: boolean;
  detail?: string;
  /** Overrides the check's own `critical` for this result (e.g. a short chain outage). */
  critical?: boolean;
}

export interface HealthCheck {
  name: string;
  /** A failing critical check makes /health answer 503; others are reported only. */
  critical: boolean;
  check(): Promise<HealthCheckResult>;
}

/** Aggregates health checks. The database check is built in; modules add theirs with `register`. */
@Injectable()
export class HealthService {
  private readonly checks: HealthCheck[] = [];

  constructor(dataSource: DataSource) {
    this.register({
      name: 'database',
      critical: true,
      check: async () => {
        await dataSource.query('SELECT 1');
        return { ok: true };
      },
    });
  }

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  async evaluate(timeoutMs = 3000): Promise<{ healthy: boolean; checks: Record<string, HealthCheckResult & { critical: boolean }> }> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<HealthCheckResult>((resolve) => {
            timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
          });
          return [c, await Promise.race([c.check(), timeout])] as const;
        } catch (e) {
          return [c, { ok: false, detail: e instanceof Error ? e.message : String(e) } as HealthCheckResult] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks: Record<string, HealthCheckResult & { critical: boolean }> = {};
    for (const [c, r] of results) checks[c.name] = { ...r, critical: r.critical ?? c.critical };
    return { healthy: Object.values(checks).every((r) => r.ok || !r.critical), checks };
  }
}
