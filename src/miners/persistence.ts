import { Miner } from './registry/miner.entity';
import { Miner1732600000000 } from './registry/1732600000000-miner.migration';

/** Entities and migrations this module owns (listed in src/app-schema.ts). */
export const MINERS_ENTITIES: Function[] = [Miner];
export const MINERS_MIGRATIONS: Function[] = [Miner1732600000000];
