import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { EnvInt, EnvString, Satisfies } from './parsers';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isChainNetwork, isChainEndpointOrEmpty } from '../../chain/client/network';

export class ChainEnv {
  @EnvInt() @IsInt({ message: 'expected an integer subnet id 0-65535' }) @Min(0, { message: 'expected an integer subnet id 0-65535' }) @Max(65535, { message: 'expected an integer subnet id 0-65535' })
  BITTENSOR_NETUID: number = 12;

  /** finney, test, archive, local, subvortex, latent-lite, a ws:// / wss:// URL, or host:port (plain ws). */
  @EnvString() @Satisfies('chainNetwork', isChainNetwork, 'expected finney, test, archive, local, subvortex, latent-lite, a ws(s):// URL or host:port')
  BITTENSOR_NETWORK: string = 'finney';

  /** Endpoint used when BITTENSOR_NETWORK=local. */
  @EnvString() @Satisfies('chainEndpoint', isChainEndpointOrEmpty, 'expected a ws(s):// URL or host:port') BT_SUBTENSOR_CHAIN_ENDPOINT: string = '';

  /** /health turns 503 once the chain has been unreachable this long (seconds). */
  @EnvInt() @IsInt({ message: 'expected a whole number of seconds >= 1' }) @Min(1, { message: 'expected a whole number of seconds >= 1' })
  HEALTH_CHAIN_UNREACHABLE_SECONDS: number = 600;

  @EnvString() @IsString() BITTENSOR_WALLET_DIRECTORY: string = join(homedir(), '.bittensor', 'wallets');
  @EnvString() @MinLength(1, { message: 'expected a wallet name' }) BITTENSOR_WALLET_NAME: string = 'default';
  @EnvString() @MinLength(1, { message: 'expected a hotkey name' }) BITTENSOR_WALLET_HOTKEY_NAME: string = 'default';
}
