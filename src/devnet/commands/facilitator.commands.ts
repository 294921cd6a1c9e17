import type { Provider } from '@nestjs/common';

/** Devnet commands for the simulated facilitator (registered through ./index.ts). */
export const DEVNET_FACILITATOR_COMMANDS: Provider[] = [];
