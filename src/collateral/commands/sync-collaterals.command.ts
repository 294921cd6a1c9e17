import { Command, CommandRunner } from 'nest-commander';
import { renderTable } from '../../common/table';
import { CollateralSyncService, type CollateralSyncReport } from '../sync/collateral-sync.service';

/** Renders a sync report: one row per miner, then a summary line. */
export function formatSyncReport(report: CollateralSyncReport): string {
  if (!report.ran) return `collateral sync skipped: ${report.reason}\n`;
  if (!report.ok) return `collateral sync failed: ${report.error}\n`;
  const table = renderTable(
    ['uid', 'hotkey', 'evm address', 'collateral (wei)', 'status'],
    report.miners.map((m) => [m.uid, m.hotkey, m.evmAddress ?? '', m.collateralWei, m.status]),
  );
  const contract = report.contract ?? 'none (collateral off: no contract in the validator commitment)';
  const trustee = !report.trustee
    ? ''
    : report.trustee.matchesKey === true
      ? `trustee ${report.trustee.address} (this validator's H160 key)\n`
      : report.trustee.matchesKey === false
        ? `trustee ${report.trustee.address} is NOT this validator's H160 key: slashing will fail\n`
        : `trustee ${report.trustee.address}; no H160 key file: slashing is impossible\n`;
  return `${table}\nblock ${report.blockNumber}, contract ${contract}, ${report.miners.length} miner(s), ${report.failures} read failure(s)\n${trustee}`;
}

/** `sync_collaterals` of the reference: runs the collateral sync once and prints what it stored. */
@Command({ name: 'sync-collaterals', description: "sync miners' EVM addresses and collateral deposits once and print them" })
export class SyncCollateralsCommand extends CommandRunner {
  constructor(private readonly sync: CollateralSyncService) {
    super();
  }

  async run(): Promise<void> {
    const report = await this.sync.sync({ wait: true });
    process.stdout.write(formatSyncReport(report));
    if (!report.ran || !report.ok) process.exitCode = 1;
  }
}
