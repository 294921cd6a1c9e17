import type { Provider } from '@nestjs/common';
import { TransferReceiptsCommand } from './transfer-receipts.command';

/** nest-commander commands of this module (registered by src/cli.module.ts). */
export const RECEIPTS_COMMANDS: Provider[] = [TransferReceiptsCommand];
