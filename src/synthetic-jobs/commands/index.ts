import type { Provider } from '@nestjs/common';
import { DebugRunSyntheticJobsCommand, DebugRunSyntheticJobToMinerCommand } from './debug-run-synthetic-jobs.command';

/** nest-commander commands of this module (registered by src/cli.module.ts). */
export const SYNTHETIC_COMMANDS: Provider[] = [DebugRunSyntheticJobsCommand, DebugRunSyntheticJobToMinerCommand];
