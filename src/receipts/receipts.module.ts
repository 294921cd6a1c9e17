import { Module } from '@nestjs/common';
import { ReceiptsService } from './receipts.service';
import { ReceiptTransferService } from './transfer/receipt-transfer.service';

/** ReceiptsModule: see README.md for its public interface. */
@Module({
  providers: [ReceiptsService, ReceiptTransferService],
  exports: [ReceiptsService, ReceiptTransferService],
})
export class ReceiptsModule {}
