import { JobAcceptedReceiptRow, JobFinishedReceiptRow, JobStartedReceiptRow, ReceiptTransferCheckpoint } from './persistence/receipt.entities';
import { Receipts1732810000000 } from './persistence/1732810000000-receipts.migration';

/** Entities and migrations this module owns (listed in src/app-schema.ts). */
export const RECEIPTS_ENTITIES: Function[] = [JobStartedReceiptRow, JobAcceptedReceiptRow, JobFinishedReceiptRow, ReceiptTransferCheckpoint];
export const RECEIPTS_MIGRATIONS: Function[] = [Receipts1732810000000];
