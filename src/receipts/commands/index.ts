import type { CliCommandEntry } from '../../common/cli-command-entry';

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const RECEIPTS_COMMANDS: CliCommandEntry[] = [
  {
    name: 'transfer-receipts',
    summary: 'fetch receipt pages from miners (once, or continuously with --daemon)',
    database: true,
    load: async () => ({
      commands: [(await import('./transfer-receipts.command')).TransferReceiptsCommand],
      imports: [(await import('../receipts.module')).ReceiptsModule],
    }),
  },
];
