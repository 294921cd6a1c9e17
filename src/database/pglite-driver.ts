import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';

/**
 * A `pg`-shaped driver over one PGlite instance, for TypeORM's postgres dialect.
 *
 * PGlite is a single session. TypeORM issues BEGIN/COMMIT as ordinary queries, so without
 * serialisation a query from another async flow would land inside someone else's transaction.
 * Every `connect()` therefore takes an exclusive lease that is held until TypeORM releases the
 * client: transactions are serialised, plain queries queue behind them.
 *
 * Consequence for callers: never await a *second* query runner while holding a transaction on
 * PGlite (that would wait for itself). SystemEventsService documents the same rule.
 */
export function createPgliteDriver(db: PGlite): { Pool: new (options?: unknown) => PglitePool } {
  const lease = new Lease();
  class BoundPool extends PglitePool {
    constructor() {
      super(db, lease);
    }
  }
  return { Pool: BoundPool };
}

class Lease {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    return previous.then(() => {
      let released = false;
      return () => {
        if (!released) {
          released = true;
          release();
        }
      };
    });
  }
}

type QueryCallback = (err: Error | null, result?: PgLikeResult) => void;

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: Results['fields'];
}

function commandOf(sql: string): string {
  const match = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)/.exec(sql);
  return match ? match[1].toUpperCase() : '';
}

function toPgResult(sql: string, result: Results<unknown>): PgLikeResult {
  const rows = result.rows ?? [];
  return {
    rows,
    rowCount: result.affectedRows ?? rows.length,
    command: commandOf(sql),
    fields: result.fields ?? [],
  };
}

export class PgliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  query(sql: string, paramsOrCb?: unknown[] | QueryCallback, maybeCb?: QueryCallback): Promise<PgLikeResult> {
    const cb = typeof paramsOrCb === 'function' ? paramsOrCb : maybeCb;
    const params = Array.isArray(paramsOrCb) ? paramsOrCb : undefined;
    const run =
      params && params.length > 0
        ? this.db.query(sql, params).then((r) => toPgResult(sql, r))
        : this.db.exec(sql).then((all) => toPgResult(sql, all[all.length - 1] ?? { rows: [], fields: [] }));
    if (cb) {
      run.then(
        (r) => cb(null, r),
        (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
      );
    }
    return run;
  }
}

export class PglitePool extends EventEmitter {
  private readonly client: PgliteClient;

  constructor(
    private readonly db: PGlite,
    private readonly lease: Lease,
  ) {
    super();
    this.client = new PgliteClient(db);
  }

  connect(cb: (err: Error | null, client: PgliteClient | null, release: (err?: unknown) => void) => void): void {
    this.lease.acquire().then(
      (release) => cb(null, this.client, () => release()),
      (e: unknown) => cb(e instanceof Error ? e : new Error(String(e)), null, () => undefined),
    );
  }

  end(cb?: (err: Error | null) => void): void {
    this.db.close().then(
      () => cb?.(null),
      (e: unknown) => cb?.(e instanceof Error ? e : new Error(String(e))),
    );
  }
}
