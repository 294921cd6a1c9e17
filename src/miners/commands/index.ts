import type { CliCommandEntry } from '../../common/cli-command-entry';

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const MINERS_COMMANDS: CliCommandEntry[] = [
  {
    name: 'sync-metagraph',
    summary: 'Sync the metagraph into the miner table once and print the miners',
    database: true,
    load: async () => ({
      commands: [(await import('../registry/sync-metagraph.command')).SyncMetagraphCommand],
      imports: [(await import('../miners.module')).MinersModule],
    }),
  },
];
