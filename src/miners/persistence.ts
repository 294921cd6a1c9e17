/** Entities and migrations this module owns (registered in src/database/registry.ts). */
export const MINERS_ENTITIES: Function[] = [];
export const MINERS_MIGRATIONS: Function[] = [];
