import type { SimulatedJobRunner } from '../miners/job-runner';
import { LlmPromptGenRunner } from './llm-prompt-gen.runner';
import { LlmPromptSolverRunner } from './llm-prompt-solver.runner';

export { LlmPromptGenRunner } from './llm-prompt-gen.runner';
export { LlmPromptSolverRunner } from './llm-prompt-solver.runner';

/** The runners a simulated trusted miner needs (prompt generation and prompt answering). */
export function llmRunners(): SimulatedJobRunner[] {
  return [new LlmPromptGenRunner(), new LlmPromptSolverRunner()];
}
