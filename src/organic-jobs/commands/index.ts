import type { Provider } from '@nestjs/common';
import { ConnectFacilitatorCommand } from './connect-facilitator.command';
import { DebugRunOrganicJobCommand } from './debug-run-organic-job.command';
import { ValidatorWhitelistCommand } from './validator-whitelist.command';

/** nest-commander commands of this module (registered by src/cli.module.ts). */
export const ORGANIC_COMMANDS: Provider[] = [ConnectFacilitatorCommand, DebugRunOrganicJobCommand, ValidatorWhitelistCommand];
