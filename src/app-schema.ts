import { SystemEvent } from './observability/system-events/system-event.entity';
import { CONFIG_ENTITIES, CONFIG_MIGRATIONS } from './config/persistence';
import { Foundation1732500000000 } from './database/migrations/1732500000000-foundation';
import { CHAIN_ENTITIES, CHAIN_MIGRATIONS } from './chain/persistence';
import { MINERS_ENTITIES, MINERS_MIGRATIONS } from './miners/persistence';
import { SYNTHETIC_ENTITIES, SYNTHETIC_MIGRATIONS } from './synthetic-jobs/persistence';
import { ORGANIC_ENTITIES, ORGANIC_MIGRATIONS } from './organic-jobs/persistence';
import { RECEIPTS_ENTITIES, RECEIPTS_MIGRATIONS } from './receipts/persistence';
import { WEIGHTS_ENTITIES, WEIGHTS_MIGRATIONS } from './weights/persistence';
import { TRUSTED_MINER_ENTITIES, TRUSTED_MINER_MIGRATIONS } from './synthetic-jobs/trusted-miner/persistence';
import { COLLATERAL_ENTITIES, COLLATERAL_MIGRATIONS } from './collateral/persistence';
import type { DatabaseSchema } from './database/schema';

/**
 * Every entity and migration of the app, assembled here at the composition root so that the database
 * module imports no feature module. Each module owns its own `persistence.ts`; migrations run in the
 * order of the timestamp in their class names, whatever the module. A new module adds its lists here.
 */
const ENTITIES: DatabaseSchema['entities'] = [
  SystemEvent,
  ...CONFIG_ENTITIES,
  ...CHAIN_ENTITIES,
  ...MINERS_ENTITIES,
  ...SYNTHETIC_ENTITIES,
  ...ORGANIC_ENTITIES,
  ...RECEIPTS_ENTITIES,
  ...WEIGHTS_ENTITIES,
  ...TRUSTED_MINER_ENTITIES,
  ...COLLATERAL_ENTITIES,
] as Function[];

const MIGRATIONS: DatabaseSchema['migrations'] = [
  Foundation1732500000000,
  ...CONFIG_MIGRATIONS,
  ...CHAIN_MIGRATIONS,
  ...MINERS_MIGRATIONS,
  ...SYNTHETIC_MIGRATIONS,
  ...ORGANIC_MIGRATIONS,
  ...RECEIPTS_MIGRATIONS,
  ...WEIGHTS_MIGRATIONS,
  ...TRUSTED_MINER_MIGRATIONS,
  ...COLLATERAL_MIGRATIONS,
];

export const APP_SCHEMA: DatabaseSchema = { entities: ENTITIES, migrations: MIGRATIONS };
