import type { Provider } from '@nestjs/common';
import { CheckS3SetupCommand } from './check-s3-setup.command';
import { DebugRunLlmPromptTaskCommand } from './debug-run-llm-prompt-task.command';

/** nest-commander commands of this module (registered by src/cli.module.ts). */
export const S3_COMMANDS: Provider[] = [CheckS3SetupCommand, DebugRunLlmPromptTaskCommand];
