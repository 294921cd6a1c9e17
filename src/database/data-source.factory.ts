import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';
import { EmbeddedPostgres } from './embedded/embedded-server';
import { schemaOrRegistered, type DatabaseSchema } from './schema';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  /** A PostgreSQL server of our own under `dataDir/postgres` (started, shared, stopped by us). */
  | { kind: 'embedded'; dataDir: string };

export interface CreatedDataSource {
  dataSource: DataSource;
  target: DatabaseTarget;
  /** Closes the data source; on the embedded server, stops it when no other process uses it. */
  close(): Promise<void>;
}

/** DATABASE_POOL_URL wins over DATABASE_URL (reference); neither set: the embedded server under DATA_DIR. DatabaseModule passes AppConfig.database.url as DATABASE_URL. */
export function databaseTargetFromConfig(core: { DATABASE_URL?: string; DATABASE_POOL_URL?: string; DATA_DIR: string }): DatabaseTarget {
  const url = core.DATABASE_POOL_URL || core.DATABASE_URL;
  if (url) return { kind: 'postgres', url };
  return { kind: 'embedded', dataDir: resolve(core.DATA_DIR) };
}

/** A description for logs: the password is never shown. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'embedded') return `embedded PostgreSQL under ${target.dataDir}`;
  try {
    const u = new URL(target.url);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}

/** Every connection of this process says who it is (the embedded server's last user stops it). */
export function applicationName(): string {
  return `compute-horde-validator:${process.pid}`;
}

/** `schema`: the app's entities and migrations (APP_SCHEMA); default the registered one (registerDatabaseSchema). */
export async function createDataSource(target: DatabaseTarget, opts: { runMigrations?: boolean; schema?: DatabaseSchema } = {}): Promise<CreatedDataSource> {
  const { entities, migrations } = schemaOrRegistered(opts.schema);
  const common = {
    type: 'postgres',
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    applicationName: applicationName(),
    extra: { max: 20 },
  } as const;
  let server: EmbeddedPostgres | undefined;
  let options: DataSourceOptions;
  if (target.kind === 'postgres') {
    options = { ...common, url: target.url };
  } else {
    const logger = new Logger('Database');
    server = await EmbeddedPostgres.open(target.dataDir, { log: (m) => logger.log(m), warn: (m) => logger.warn(m) });
    const c = server.connection;
    options = { ...common, host: c.host, port: c.port, username: c.user, database: c.database };
  }
  const dataSource = new DataSource(options);
  try {
    await dataSource.initialize();
    if (opts.runMigrations ?? true) await dataSource.runMigrations({ transaction: 'each' });
  } catch (e) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    await server?.release();
    throw explainConnectError(e, target);
  }
  return {
    dataSource,
    target,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await server?.release();
    },
  };
}

/** Connection failures name the setting to fix and never the password. */
function explainConnectError(e: unknown, target: DatabaseTarget): Error {
  const message = e instanceof Error ? e.message : String(e);
  if (target.kind !== 'postgres') return e instanceof Error ? e : new Error(message);
  const code = (e as { code?: string }).code;
  const connectCodes = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '28P01', '28000', '3D000'];
  if (code && connectCodes.includes(code)) {
    let safe = message;
    try {
      const password = decodeURIComponent(new URL(target.url).password);
      if (password) safe = safe.split(password).join('***');
    } catch {
      // unparseable URL: the message is the driver's own
    }
    return new DatabaseConnectError(`cannot connect to ${describeTarget(target)} (${safe}); check DATABASE_URL (or DATABASE_POOL_URL, or POSTGRES_PASSWORD for db:5432), or unset them to use the embedded database`);
  }
  return e instanceof Error ? e : new Error(message);
}

/** The database named by the configuration cannot be reached (an operator's setting, not a bug). */
export class DatabaseConnectError extends Error {
  override readonly name = 'DatabaseConnectError';
}
