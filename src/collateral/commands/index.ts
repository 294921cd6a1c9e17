import type { Provider } from '@nestjs/common';
import { SyncCollateralsCommand } from './sync-collaterals.command';

/** nest-commander commands of this module (registered by src/cli.module.ts). */
export const COLLATERAL_COMMANDS: Provider[] = [SyncCollateralsCommand];
