import { IsString } from 'class-validator';
import { EnvBool, EnvString } from './parsers';

export class DynamicSourceEnv {
  /** Selects validator-config-<env>.json / common-config-<env>.json. */
  @EnvString() @IsString() DYNAMIC_CONFIG_ENV: string = 'prod';
  @EnvBool() USE_CONTRACT_CONFIG: boolean = false;
  @EnvString() @IsString() CONFIG_CONTRACT_ADDRESS: string = '0x6034a34677b7c715EA97ED25Ee6B2A8DcB7c641E';
}
