import { MinerMainHotkey } from './persistence/miner-main-hotkey.entity';
import { WeightsRow } from './persistence/weights.entity';
import { Weights1732900000000 } from './persistence/1732900000000-weights.migration';
import { WeightsTimelock1733400000000 } from './persistence/1733400000000-weights-timelock.migration';

/** Entities and migrations this module owns (listed in src/app-schema.ts). */
export const WEIGHTS_ENTITIES: Function[] = [MinerMainHotkey, WeightsRow];
export const WEIGHTS_MIGRATIONS: Function[] = [Weights1732900000000, WeightsTimelock1733400000000];
