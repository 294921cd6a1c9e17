import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { APP_SCHEMA } from '../../src/app-schema';
import { createDataSource, CreatedDataSource } from '../../src/database/data-source.factory';
import { registerDatabaseSchema } from '../../src/database/schema';

// Suites open the database through createDataSource or DatabaseModule.forRoot without a schema: the app's.
registerDatabaseSchema(APP_SCHEMA);

/** The machine's PostgreSQL (trust auth). Override with TEST_POSTGRES_URL. */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database for one test file; `drop()` removes it (terminating leftovers). */
export async function createThrowawayDatabase(prefix = 'chv_test'): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A migrated PostgreSQL DataSource on a throwaway database; `close()` also drops the database. */
export async function migratedPostgres(): Promise<CreatedDataSource & { url: string }> {
  const db = await createThrowawayDatabase();
  const created = await createDataSource({ kind: 'postgres', url: db.url });
  return {
    ...created,
    url: db.url,
    close: async () => {
      await created.close();
      await db.drop();
    },
  };
}

/**
 * A fresh DATA_DIR for the embedded PostgreSQL server. Mode 0755: as root, the server runs as the
 * `postgres` OS user, which must be able to enter it (mkdtemp makes 0700 folders).
 */
export function embeddedDataDir(prefix = 'chv-embedded-'): { dataDir: string; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dataDir, 0o755);
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A migrated DataSource on the embedded PostgreSQL server in a fresh DATA_DIR; `close()` stops it and removes the folder. */
export async function migratedEmbedded(): Promise<CreatedDataSource> {
  const dir = embeddedDataDir();
  const created = await createDataSource({ kind: 'embedded', dataDir: dir.dataDir });
  return {
    ...created,
    close: async () => {
      await created.close();
      dir.remove();
    },
  };
}
