import type { CliCommandEntry } from '../../common/cli-command-entry';

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const RETENTION_COMMANDS: CliCommandEntry[] = [
  {
    name: 'evict-old-data',
    summary: 'delete validator data past its retention (organic jobs, receipts, batches, events, ...) once',
    database: true,
    load: async () => ({
      commands: [(await import('../evict-old-data.command')).EvictOldDataCommand],
      imports: [(await import('../eviction.module')).EvictionModule],
    }),
  },
];
