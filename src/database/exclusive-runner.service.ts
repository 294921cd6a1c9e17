import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type ExclusiveResult<T> = { ran: true; value: T } | { ran: false; reason: string };

/** 64-bit advisory-lock key from a lock name (stable across processes and versions). */
export function advisoryLockKey(name: string): bigint {
  return createHash('sha256').update(`compute-horde-validator:${name}`).digest().readBigInt64BE(0);
}

/**
 * Runs exclusive work (a synthetic batch, weight setting, a sync) in at most one place at a time:
 * one runner per name inside this process, and one across processes through a PostgreSQL
 * session advisory lock (the embedded server is a real PostgreSQL too).
 */
@Injectable()
export class ExclusiveRunner {
  private readonly logger = new Logger(ExclusiveRunner.name);
  private readonly runningHere = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  /** Skips (ran: false) when another runner holds `name`; with `wait`, waits for it instead. */
  async runExclusive<T>(name: string, fn: () => Promise<T>, opts: { wait?: boolean } = {}): Promise<ExclusiveResult<T>> {
    if (this.runningHere.has(name) && !opts.wait) return { ran: false, reason: `${name} is already running in this process` };
    while (this.runningHere.has(name)) await new Promise((r) => setTimeout(r, 50));
    this.runningHere.add(name);
    try {
      return await this.withAdvisoryLock(name, fn, opts.wait ?? false);
    } finally {
      this.runningHere.delete(name);
    }
  }

  private async withAdvisoryLock<T>(name: string, fn: () => Promise<T>, wait: boolean): Promise<ExclusiveResult<T>> {
    const key = advisoryLockKey(name).toString();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      if (wait) {
        await runner.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      } else {
        const rows = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key])) as { locked: boolean }[];
        if (!rows[0]?.locked) return { ran: false, reason: `${name} is held by another validator process` };
      }
      try {
        return { ran: true, value: await fn() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch((e: unknown) => {
          this.logger.error({ err: e, lock: name }, 'could not release advisory lock; closing its connection');
        });
      }
    } finally {
      await runner.release();
    }
  }
}
