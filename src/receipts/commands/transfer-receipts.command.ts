import { Command, CommandRunner, Option } from 'nest-commander';
import { ReceiptTransferService } from '../transfer/receipt-transfer.service';
import { abortOnStopSignal } from '../../common/stop-signals';

@Command({ name: 'transfer-receipts', description: 'fetch receipt pages from miners (once, or continuously with --daemon)' })
export class TransferReceiptsCommand extends CommandRunner {
  constructor(private readonly transfer: ReceiptTransferService) {
    super();
  }

  async run(_args: string[], flags: { daemon?: boolean }): Promise<void> {
    if (flags.daemon) {
      const stop = abortOnStopSignal();
      try {
        await this.transfer.runDaemon(stop.signal);
      } finally {
        stop.dispose();
      }
      return;
    }
    const r = await this.transfer.catchUp();
    process.stdout.write(`stored ${r.stored} receipts; ${r.lineErrors} bad lines; ${r.transferErrors} failed page transfers\n`);
    // Some miners are always offline; only a run where every transfer failed is a failure.
    if (r.transferErrors > 0 && r.stored === 0) process.exitCode = 1;
  }

  @Option({ flags: '--daemon', description: 'keep fetching the active pages every DYNAMIC_RECEIPT_TRANSFER_INTERVAL seconds' })
  parseDaemon(): boolean {
    return true;
  }
}
