import type { CliCommandEntry } from '../../common/cli-command-entry';

const load = async (which: 'DebugRunSyntheticJobsCommand' | 'DebugRunSyntheticJobToMinerCommand') => ({
  commands: [(await import('./debug-run-synthetic-jobs.command'))[which]],
  imports: [(await import('../synthetic-jobs.module')).SyntheticJobsModule],
});

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const SYNTHETIC_COMMANDS: CliCommandEntry[] = [
  {
    name: 'debug-run-synthetic-jobs',
    summary: 'create a synthetic batch at the current block and run it now against all serving miners (or DEBUG_MINER_KEY/_ADDRESS/_PORT/_COUNT)',
    database: true,
    load: () => load('DebugRunSyntheticJobsCommand'),
  },
  {
    name: 'debug-run-synthetic-job-to-miner',
    summary: "create a synthetic batch at the current block and run it against one miner (only this validator's receipts can excuse)",
    database: true,
    load: () => load('DebugRunSyntheticJobToMinerCommand'),
  },
  {
    name: 'debug-run-llm-prompt-task',
    summary: 'run one LLM cross-validation task (generation | sampling | answering) once',
    database: true,
    load: async () => ({
      commands: [(await import('../trusted-miner/commands/debug-run-llm-prompt-task.command')).DebugRunLlmPromptTaskCommand],
      imports: [(await import('../trusted-miner/trusted-miner.module')).TrustedMinerModule],
    }),
  },
];
