import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../../observability/metrics.service';

/**
 * The reference's receipt-transfer metrics, same names and labels (spec/configuration.md §7.2).
 * `exc_type` values are this implementation's own error names (dashboards only aggregate them):
 * lines `ReceiptParseError`, `InvalidSignature`; pages `HTTPStatusError`, `TimeoutError`,
 * `TypeError` (network), `AbortError`, `StoreError`.
 */
@Injectable()
export class ReceiptTransferMetrics {
  readonly receipts: Counter;
  readonly successfulTransfers: Counter;
  readonly lineErrors: Counter<'exc_type'>;
  readonly transferErrors: Counter<'exc_type'>;
  readonly miners: Gauge;
  readonly transferDuration: Histogram;
  readonly catchupPagesLeft: Gauge;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.receipts = new Counter({ name: 'receipttransfer_receipts_total', help: 'Receipts stored by the receipt transfer', registers });
    this.successfulTransfers = new Counter({
      name: 'receipttransfer_successful_transfers_total',
      help: 'Receipt page transfers that did not fail (404 included)',
      registers,
    });
    this.lineErrors = new Counter({ name: 'receipttransfer_line_errors_total', help: 'Invalid receipt lines', labelNames: ['exc_type'], registers });
    this.transferErrors = new Counter({ name: 'receipttransfer_transfer_errors_total', help: 'Failed receipt page transfers', labelNames: ['exc_type'], registers });
    this.miners = new Gauge({ name: 'receipttransfer_miners', help: 'Miners polled for receipts', registers });
    this.transferDuration = new Histogram({
      name: 'receipttransfer_transfer_duration',
      help: 'Seconds of one transfer loop over all miners',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
      registers,
    });
    this.catchupPagesLeft = new Gauge({ name: 'receipttransfer_catchup_pages_left', help: 'Older receipt pages still to catch up on', registers });
  }
}
