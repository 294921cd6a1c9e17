/** Entities and migrations this module owns (listed in src/app-schema.ts). */
export const CHAIN_ENTITIES: Function[] = [];
export const CHAIN_MIGRATIONS: Function[] = [];
