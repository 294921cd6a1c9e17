import { Injectable } from '@nestjs/common';

export interface DynamicConfigFetchState {
  /** Where the values came from, e.g. `github` or `contract`. */
  source: string;
  lastAttemptAt: Date;
  lastSuccessAt: Date | null;
  /** Failed fetches since the last success. */
  consecutiveFailures: number;
  /** First line of the last failure, if the last attempt failed. */
  lastError: string | null;
}

/**
 * What the remote dynamic-config fetch reports about itself (one line per fetch:
 * `recordFetch({ source, ok, error? })`); /metrics and the status page read it. Plain state, no I/O.
 */
@Injectable()
export class DynamicConfigFetchStatus {
  private readonly states = new Map<string, DynamicConfigFetchState>();

  recordFetch(fetch: { source: string; ok: boolean; error?: string; at?: Date }): void {
    const at = fetch.at ?? new Date();
    const prev = this.states.get(fetch.source);
    this.states.set(fetch.source, {
      source: fetch.source,
      lastAttemptAt: at,
      lastSuccessAt: fetch.ok ? at : (prev?.lastSuccessAt ?? null),
      consecutiveFailures: fetch.ok ? 0 : (prev?.consecutiveFailures ?? 0) + 1,
      lastError: fetch.ok ? null : (fetch.error ?? 'failed').split('\n')[0].slice(0, 200),
    });
  }

  all(): DynamicConfigFetchState[] {
    return [...this.states.values()];
  }
}
