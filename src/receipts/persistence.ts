/** Entities and migrations this module owns (registered in src/database/registry.ts). */
export const RECEIPTS_ENTITIES: Function[] = [];
export const RECEIPTS_MIGRATIONS: Function[] = [];
