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

export interface HealthReport {
  healthy: boolean;
  checks: Record<string, HealthCheckResult & { critical: boolean }>;
  /** When the checks ran (ms since the epoch). */
  at: number;
}

/**
 * Aggregates health checks. The database check is built in; modules add theirs with `register`.
 *
 * Callers at the same moment share one evaluation (and a caller may accept a result up to
 * `maxAgeMs` old): a flood of /health requests runs one `SELECT 1` at a time, not one per request,
 * and never queues the check behind its own copies (the status page's reads are bounded separately).
 */
@Injectable()
export class HealthService {
  private readonly checks: HealthCheck[] = [];
  private inflight: Promise<HealthReport> | null = null;
  private last: HealthReport | null = null;

  constructor(dataSource: DataSource) {
    this.register({
      name: 'database',
      critical: true,
      check: async () => {
        const started = performance.now();
        await dataSource.query('SELECT 1');
        return { ok: true, detail: `answered in ${Math.round(performance.now() - started)} ms` };
      },
    });
  }

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  async evaluate(timeoutMs = 3000, maxAgeMs = 0): Promise<HealthReport> {
    if (this.last && maxAgeMs > 0 && Date.now() - this.last.at <= maxAgeMs) return this.last;
    if (!this.inflight) {
      this.inflight = this.run(timeoutMs).finally(() => (this.inflight = null));
    }
    const report = await this.inflight;
    this.last = report;
    return report;
  }

  private async run(timeoutMs: number): Promise<HealthReport> {
    const at = Date.now();
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
    return { healthy: Object.values(checks).every((r) => r.ok || !r.critical), checks, at };
  }
}
