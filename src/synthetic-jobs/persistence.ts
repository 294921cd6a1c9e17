/** Entities and migrations this module owns (registered in src/database/registry.ts). */
export const SYNTHETIC_ENTITIES: Function[] = [];
export const SYNTHETIC_MIGRATIONS: Function[] = [];
