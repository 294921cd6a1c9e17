/** Entities and migrations this module owns (registered in src/database/registry.ts). */
export const ORGANIC_ENTITIES: Function[] = [];
export const ORGANIC_MIGRATIONS: Function[] = [];
