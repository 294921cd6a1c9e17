import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { PGlite } from '@electric-sql/pglite';
import { createPgliteDriver } from './pglite-driver';
import { ENTITIES, MIGRATIONS } from './registry';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | 'memory' };

export interface CreatedDataSource {
  dataSource: DataSource;
  target: DatabaseTarget;
  /** Closes the data source and frees the embedded database's lock. */
  close(): Promise<void>;
}

/** DATABASE_POOL_URL wins over DATABASE_URL (reference); neither set: embedded PGlite. */
export function databaseTargetFromConfig(core: { DATABASE_URL?: string; DATABASE_POOL_URL?: string; DATA_DIR: string }): DatabaseTarget {
  const url = core.DATABASE_POOL_URL || core.DATABASE_URL;
  if (url) return { kind: 'postgres', url };
  return { kind: 'pglite', dataDir: resolve(core.DATA_DIR, 'pglite') };
}

/** A URL for logs: the password is never shown. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return target.dataDir === 'memory' ? 'embedded PGlite (in memory)' : `embedded PGlite at ${target.dataDir}`;
  try {
    const u = new URL(target.url);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}

export async function createDataSource(target: DatabaseTarget, opts: { runMigrations?: boolean } = {}): Promise<CreatedDataSource> {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  } as const;
  let options: DataSourceOptions;
  let unlock: () => void = () => undefined;
  if (target.kind === 'postgres') {
    options = { type: 'postgres', url: target.url, ...common, extra: { max: 20 } };
  } else {
    let db: PGlite;
    if (target.dataDir === 'memory') {
      db = await PGlite.create();
    } else {
      mkdirSync(target.dataDir, { recursive: true });
      unlock = lockDataDir(target.dataDir);
      db = await PGlite.create({ dataDir: target.dataDir });
    }
    options = { type: 'postgres', driver: createPgliteDriver(db), ...common };
  }
  const dataSource = new DataSource(options);
  try {
    await dataSource.initialize();
    if (opts.runMigrations ?? true) await dataSource.runMigrations({ transaction: 'each' });
  } catch (e) {
    unlock();
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw e;
  }
  return {
    dataSource,
    target,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      unlock();
    },
  };
}

/**
 * One process per embedded database: PGlite has no server to arbitrate, and two processes on one
 * data directory would corrupt it. A lock file with our pid; a stale one (dead pid) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, '..', 'pglite.lock');
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`the embedded database ${dataDir} is in use by process ${pid}; stop it or set DATA_DIR / DATABASE_URL`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  writeFileSync(lockPath, String(process.pid));
  return () => rmSync(lockPath, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
