import type { Provider } from '@nestjs/common';

/** nest-commander commands of the devnet (registered by src/cli.module.ts). */
export const DEVNET_COMMANDS: Provider[] = [];
