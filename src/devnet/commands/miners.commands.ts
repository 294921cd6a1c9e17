import type { Provider } from '@nestjs/common';
import { DevnetMinersCommand } from '../miners/devnet-miners.command';

/** Devnet commands for the simulated miners (registered through ./index.ts). */
export const DEVNET_MINERS_COMMANDS: Provider[] = [DevnetMinersCommand];
