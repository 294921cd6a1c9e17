import type { Provider } from '@nestjs/common';

/** nest-commander commands of this module (registered by src/cli.module.ts). */
export const CHAIN_COMMANDS: Provider[] = [];
