import type { CliCommandEntry } from '../../common/cli-command-entry';

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const WEIGHTS_COMMANDS: CliCommandEntry[] = [
  {
    name: 'debug-set-scores',
    summary: 'run one weight-setting round now (same gating as the daemon) and print the weights it set',
    database: true,
    load: async () => ({
      commands: [(await import('./debug-set-scores.command')).DebugSetScoresCommand],
      imports: [(await import('../weights.module')).WeightsModule],
    }),
  },
];
