import type { Provider } from '@nestjs/common';
import { DebugSetScoresCommand } from './debug-set-scores.command';

/** nest-commander commands of this module (registered by src/cli.module.ts). */
export const WEIGHTS_COMMANDS: Provider[] = [DebugSetScoresCommand];
