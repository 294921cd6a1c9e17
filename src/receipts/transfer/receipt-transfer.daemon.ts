import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Timeout } from '@nestjs/schedule';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { ReceiptTransferService } from './receipt-transfer.service';

/** Exclusive-work name of the transfer loop: the daemon and `transfer-receipts --daemon` never both run it. */
export const RECEIPT_TRANSFER_LOCK = 'receipt-transfer';

/**
 * Runs the receipt-transfer loop inside the daemon (the reference runs it as its own process; here
 * one process does everything, and its metrics are on the daemon's /metrics). The loop itself
 * idles while `DYNAMIC_RECEIPT_TRANSFER_ENABLED` is off (the default).
 */
@Injectable()
export class ReceiptTransferDaemon implements OnApplicationShutdown {
  private readonly logger = new Logger(ReceiptTransferDaemon.name);
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;

  constructor(
    private readonly transfer: ReceiptTransferService,
    private readonly exclusive: ExclusiveRunner,
  ) {}

  /** Schedules fire only in the daemon. */
  @Timeout('receipt-transfer-start', 0)
  start(): void {
    if (this.running) return;
    this.running = this.exclusive
      .runExclusive(RECEIPT_TRANSFER_LOCK, () => this.transfer.runDaemon(this.stopping.signal), { wait: true })
      .then(() => undefined, (e: unknown) => this.logger.error({ err: e }, 'receipt transfer stopped on an error'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }
}
