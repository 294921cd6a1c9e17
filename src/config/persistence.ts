import { DynamicConfigRow } from './dynamic/dynamic-config.entity';
import { DynamicConfigRemoteRow } from './dynamic/dynamic-config-remote.entity';
import { DynamicConfigRemote1733200000000 } from './dynamic/1733200000000-dynamic-config-remote.migration';

/** Entities and migrations this module owns (listed in src/app-schema.ts; `dynamic_config` is in the foundation migration). */
export const CONFIG_ENTITIES: Function[] = [DynamicConfigRow, DynamicConfigRemoteRow];
export const CONFIG_MIGRATIONS: Function[] = [DynamicConfigRemote1733200000000];
