import { Module } from '@nestjs/common';
import { ReceiptRepository } from './persistence/receipt.repository';
import { ReceiptTransferRepository } from './persistence/receipt-transfer.repository';
import { ReceiptsService } from './receipts.service';
import { ReceiptTransferService } from './transfer/receipt-transfer.service';
import { ReceiptTransferMetrics } from './transfer/receipt-transfer.metrics';
import { ReceiptTransferDaemon } from './transfer/receipt-transfer.daemon';

/** ReceiptsModule: see README.md for its public interface. */
@Module({
  providers: [ReceiptRepository, ReceiptTransferRepository, ReceiptsService, ReceiptTransferService, ReceiptTransferMetrics, ReceiptTransferDaemon],
  exports: [ReceiptsService, ReceiptTransferService],
})
export class ReceiptsModule {}
