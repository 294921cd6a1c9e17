import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { EnvInt, EnvString } from './parsers';
import { homedir } from 'node:os';
import { join } from 'node:path';

export class ChainEnv {
  @EnvInt() @IsInt({ message: 'expected an integer subnet id 0-65535' }) @Min(0, { message: 'expected an integer subnet id 0-65535' }) @Max(65535, { message: 'expected an integer subnet id 0-65535' })
  BITTENSOR_NETUID: number = 12;

  /** finney, test, archive, local, or a ws:// / wss:// URL. */
  @EnvString() @MinLength(1, { message: 'expected finney, test, archive, local or a ws(s):// URL' })
  BITTENSOR_NETWORK: string = 'finney';

  /** Network for historical queries; empty disables the archive fallback. */
  @EnvString() @IsString() BITTENSOR_ARCHIVE_NETWORK: string = 'archive';

  /** Endpoint used when BITTENSOR_NETWORK=local. */
  @EnvString() @IsString() BT_SUBTENSOR_CHAIN_ENDPOINT: string = '';

  /** /health turns 503 once the chain has been unreachable this long (seconds). */
  @EnvInt() @IsInt({ message: 'expected a whole number of seconds >= 1' }) @Min(1, { message: 'expected a whole number of seconds >= 1' })
  HEALTH_CHAIN_UNREACHABLE_SECONDS: number = 600;

  @EnvString() @IsString() BITTENSOR_WALLET_DIRECTORY: string = join(homedir(), '.bittensor', 'wallets');
  @EnvString() @MinLength(1, { message: 'expected a wallet name' }) BITTENSOR_WALLET_NAME: string = 'default';
  @EnvString() @MinLength(1, { message: 'expected a hotkey name' }) BITTENSOR_WALLET_HOTKEY_NAME: string = 'default';
}
