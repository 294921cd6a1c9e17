import type { Provider } from '@nestjs/common';

/** Devnet commands for the simulated demo (registered through ./index.ts). */
export const DEVNET_DEMO_COMMANDS: Provider[] = [];
