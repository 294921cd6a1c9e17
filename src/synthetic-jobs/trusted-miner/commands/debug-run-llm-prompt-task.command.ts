import { Command, CommandRunner, Option } from 'nest-commander';
import { LlmPipelineService } from '../llm-pipeline.service';

const ACTIONS = ['generation', 'sampling', 'answering'] as const;

/** validator-cli debug-run-llm-prompt-task --action generation|sampling|answering (reference: debug_run_llm_prompt_task). */
@Command({ name: 'debug-run-llm-prompt-task', description: 'run one LLM cross-validation task (generation | sampling | answering) once' })
export class DebugRunLlmPromptTaskCommand extends CommandRunner {
  constructor(private readonly pipeline: LlmPipelineService) {
    super();
  }

  async run(_args: string[], flags: { action?: string }): Promise<void> {
    const action = flags.action;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) {
      process.stderr.write(`Invalid action ${JSON.stringify(action ?? '')}: expected one of ${ACTIONS.join(', ')}\n`);
      process.exitCode = 1;
      return;
    }
    const result =
      action === 'generation' ? await this.pipeline.generatePrompts() : action === 'sampling' ? await this.pipeline.samplePrompts() : await this.pipeline.answerPrompts();
    process.stdout.write(`${action}: ${JSON.stringify(result)}\n`);
    // A skipped task (trusted miner not configured, nothing to do) or a failed workload is not success.
    if (('ran' in result && !result.ran) || ('failed' in result && result.failed > 0)) process.exitCode = 1;
  }

  @Option({ flags: '--action <action>', description: 'generation | sampling | answering', required: true })
  parseAction(v: string): string {
    return v;
  }
}
