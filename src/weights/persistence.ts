/** Entities and migrations this module owns (registered in src/database/registry.ts). */
export const WEIGHTS_ENTITIES: Function[] = [];
export const WEIGHTS_MIGRATIONS: Function[] = [];
