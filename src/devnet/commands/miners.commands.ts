import type { Provider } from '@nestjs/common';

/** Devnet commands for the simulated miners (registered through ./index.ts). */
export const DEVNET_MINERS_COMMANDS: Provider[] = [];
