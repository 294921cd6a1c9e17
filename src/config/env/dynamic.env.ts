import { Matches } from 'class-validator';
import { EnvBool, EnvString, Satisfies, isUrlOrEmpty } from './parsers';

/** The published files of backend-developers-ltd/compute-horde-dynamic-config (configuration.md §5.2). */
export const DEFAULT_DYNAMIC_CONFIG_BASE_URL = 'https://raw.githubusercontent.com/backend-developers-ltd/compute-horde-dynamic-config/master/';

/** Where the subnet owner's dynamic config comes from (src/config/dynamic/remote). */
export class DynamicSourceEnv {
  /** Selects validator-config-<env>.json / common-config-<env>.json. */
  @EnvString() @Matches(/^[A-Za-z0-9_-]+$/, { message: 'expected a name such as prod or testnet' }) DYNAMIC_CONFIG_ENV: string = 'prod';
  /** Ours: the folder the two JSON files are read from; empty (with USE_CONTRACT_CONFIG off) means no remote source. */
  @EnvString() @Satisfies('httpUrl', (v) => isUrlOrEmpty(v, ['http', 'https']), 'expected an http(s):// URL (or empty for no remote source)')
  DYNAMIC_CONFIG_BASE_URL: string = DEFAULT_DYNAMIC_CONFIG_BASE_URL;
  /** Read the map contract on the subtensor EVM instead of the JSON files. */
  @EnvBool() USE_CONTRACT_CONFIG: boolean = false;
  @EnvString() @Matches(/^0x[0-9a-fA-F]{40}$/, { message: 'expected a 0x-prefixed 20-byte address' }) CONFIG_CONTRACT_ADDRESS: string = '0x6034a34677b7c715EA97ED25Ee6B2A8DcB7c641E';
}
