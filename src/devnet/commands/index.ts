import type { Provider } from '@nestjs/common';
import { DEVNET_MINERS_COMMANDS } from './miners.commands';
import { DEVNET_CHAIN_COMMANDS } from './chain.commands';
import { DEVNET_FACILITATOR_COMMANDS } from './facilitator.commands';
import { DEVNET_DEMO_COMMANDS } from './demo.commands';

/** nest-commander commands of the devnet (registered by src/cli.module.ts). */
export const DEVNET_COMMANDS: Provider[] = [
  ...DEVNET_MINERS_COMMANDS,
  ...DEVNET_CHAIN_COMMANDS,
  ...DEVNET_FACILITATOR_COMMANDS,
  ...DEVNET_DEMO_COMMANDS,
];
