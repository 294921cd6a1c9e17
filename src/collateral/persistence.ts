/** Entities and migrations this module owns (registered in src/database/registry.ts). */
export const COLLATERAL_ENTITIES: Function[] = [];
export const COLLATERAL_MIGRATIONS: Function[] = [];
