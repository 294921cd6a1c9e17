import type { CliCommandEntry } from '../../common/cli-command-entry';

const organicModule = async () => (await import('../organic-jobs.module')).OrganicJobsModule;

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const ORGANIC_COMMANDS: CliCommandEntry[] = [
  {
    name: 'connect-facilitator',
    summary: 'connect to FACILITATOR_URI and serve organic jobs in the foreground until SIGINT/SIGTERM',
    database: true,
    load: async () => ({ commands: [(await import('./connect-facilitator.command')).ConnectFacilitatorCommand], imports: [await organicModule()] }),
  },
  {
    name: 'debug-run-organic-job',
    summary: 'run one organic job directly on a miner and print every status update',
    database: true,
    load: async () => ({ commands: [(await import('./debug-run-organic-job.command')).DebugRunOrganicJobCommand], imports: [await organicModule()] }),
  },
  {
    name: 'validator-whitelist',
    summary: 'list|add|remove SDK hotkeys allowed to sign organic jobs (the ValidatorWhitelist table)',
    database: true,
    load: async () => ({ commands: [(await import('./validator-whitelist.command')).ValidatorWhitelistCommand], imports: [await organicModule()] }),
  },
];
