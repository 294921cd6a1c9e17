/** Entities and migrations this module owns (registered in src/database/registry.ts). */
export const CHAIN_ENTITIES: Function[] = [];
export const CHAIN_MIGRATIONS: Function[] = [];
