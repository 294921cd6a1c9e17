/** Entities and migrations this module owns (registered in src/database/registry.ts). */
export const S3_ENTITIES: Function[] = [];
export const S3_MIGRATIONS: Function[] = [];
