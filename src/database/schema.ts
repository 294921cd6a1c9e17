import type { EntitySchema, MixedList } from 'typeorm';

/**
 * The tables the DataSource knows: every entity and migration of the app. The database module knows no
 * feature table: the composition root lists them (src/app-schema.ts) and hands them over.
 */
export interface DatabaseSchema {
  entities: MixedList<Function | string | EntitySchema>;
  /** Migration classes; they run in the order of the millisecond timestamp that ends their names. */
  migrations: Function[];
}

let registered: DatabaseSchema | undefined;

/**
 * The schema used when `createDataSource` / `DatabaseModule.forRoot` are given none: tests and benchmarks
 * register the app's schema once in their support code (the daemon and the CLI pass it explicitly).
 */
export function registerDatabaseSchema(schema: DatabaseSchema): void {
  registered = schema;
}

export function schemaOrRegistered(schema: DatabaseSchema | undefined): DatabaseSchema {
  const found = schema ?? registered;
  if (!found) throw new Error('no database schema: pass APP_SCHEMA (src/app-schema.ts) or registerDatabaseSchema(APP_SCHEMA) first');
  return found;
}
