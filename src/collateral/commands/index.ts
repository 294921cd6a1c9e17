import type { CliCommandEntry } from '../../common/cli-command-entry';

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const COLLATERAL_COMMANDS: CliCommandEntry[] = [
  {
    name: 'sync-collaterals',
    summary: "sync miners' EVM addresses and collateral deposits once and print them",
    database: true,
    load: async () => ({
      commands: [(await import('./sync-collaterals.command')).SyncCollateralsCommand],
      imports: [(await import('../collateral.module')).CollateralModule],
    }),
  },
];
