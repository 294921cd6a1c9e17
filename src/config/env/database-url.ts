/**
 * Which PostgreSQL the validator uses (configuration.md §2.3, the reference's settings.py rules):
 * DATABASE_POOL_URL, else DATABASE_URL, else — when POSTGRES_PASSWORD is set — the reference's
 * default `postgres://postgres:<POSTGRES_PASSWORD>@db:5432/postgres` (the `db` service of a
 * compose file). DATABASE_SUFFIX is appended to the database name, DEBUG_OVERRIDE_DATABASE_NAME
 * replaces it. With none of the three set: no URL, the embedded database under DATA_DIR.
 */
export type DatabaseUrlSource = 'DATABASE_POOL_URL' | 'DATABASE_URL' | 'POSTGRES_PASSWORD' | 'embedded';

export interface DatabaseSettings {
  /** The connection URL (a secret: it holds the password); undefined means the embedded database. */
  url?: string;
  source: DatabaseUrlSource;
  /** A transaction-pooling PgBouncer: the reference disables server-side cursors there. */
  pooled: boolean;
}

export interface DatabaseVariables {
  DATABASE_URL?: string;
  DATABASE_POOL_URL?: string;
  POSTGRES_PASSWORD: string;
  DATABASE_SUFFIX: string;
  DEBUG_OVERRIDE_DATABASE_NAME: string;
}

export function resolveDatabase(v: DatabaseVariables): DatabaseSettings {
  let url: string;
  let source: DatabaseUrlSource;
  if (v.DATABASE_POOL_URL) {
    [url, source] = [v.DATABASE_POOL_URL, 'DATABASE_POOL_URL'];
  } else if (v.DATABASE_URL) {
    [url, source] = [v.DATABASE_URL, 'DATABASE_URL'];
  } else if (v.POSTGRES_PASSWORD) {
    // The reference pastes the password into the URL as is; encoding it keeps any character usable.
    [url, source] = [`postgres://postgres:${encodeURIComponent(v.POSTGRES_PASSWORD)}@db:5432/postgres`, 'POSTGRES_PASSWORD'];
  } else {
    return { source: 'embedded', pooled: false };
  }
  if (v.DATABASE_SUFFIX || v.DEBUG_OVERRIDE_DATABASE_NAME) url = withDatabaseName(url, v.DEBUG_OVERRIDE_DATABASE_NAME || `${databaseName(url)}${v.DATABASE_SUFFIX}`);
  return { url, source, pooled: source === 'DATABASE_POOL_URL' };
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** The URL for logs and warnings: the password never appears. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database URL>';
  }
}
