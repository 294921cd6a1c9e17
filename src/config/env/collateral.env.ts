import { IsString } from 'class-validator';
import { EnvString } from './parsers';

export class CollateralEnv {
  /** Optional override of the EVM JSON-RPC URL derived from BITTENSOR_NETWORK. */
  @EnvString() @IsString() BITTENSOR_EVM_RPC_URL: string = '';
}
