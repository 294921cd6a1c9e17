import type { Provider } from '@nestjs/common';
import { SyncMetagraphCommand } from '../registry/sync-metagraph.command';

/** nest-commander commands of this module (registered by src/cli.module.ts). */
export const MINERS_COMMANDS: Provider[] = [
  SyncMetagraphCommand,
];
