import type { Provider } from '@nestjs/common';
import { DevnetChainCommand } from '../chain/devnet-chain.command';

/** Devnet commands for the simulated chain (registered through ./index.ts). */
export const DEVNET_CHAIN_COMMANDS: Provider[] = [DevnetChainCommand];
