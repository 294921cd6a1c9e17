import { CollateralSlash } from './slashing/collateral-slash.entity';
import { CollateralSlash1733100000000 } from './slashing/1733100000000-collateral-slash.migration';

/** Entities and migrations this module owns (listed in src/app-schema.ts). */
export const COLLATERAL_ENTITIES: Function[] = [CollateralSlash];
export const COLLATERAL_MIGRATIONS: Function[] = [CollateralSlash1733100000000];
