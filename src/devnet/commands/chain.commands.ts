import type { Provider } from '@nestjs/common';

/** Devnet commands for the simulated chain (registered through ./index.ts). */
export const DEVNET_CHAIN_COMMANDS: Provider[] = [];
