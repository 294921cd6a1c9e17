import { receiptPayloadToJson, type Receipt, type ReceiptPayload } from './receipts';

/**
 * Outgoing frames: compact JSON of the message's own fields. Receipt payloads are written with only
 * their model fields (in the reference's order) so the miner re-serialises exactly what we signed.
 */
export function serializeMessage(message: { message_type: string }): string {
  return JSON.stringify(message, (key, value: unknown) => {
    if (value === undefined) return undefined;
    if (isReceiptPayload(value)) return receiptPayloadToJson(value);
    if (isReceiptRecord(value)) {
      return { payload: receiptPayloadToJson(value.payload), validator_signature: value.validator_signature, miner_signature: value.miner_signature ?? null };
    }
    if (typeof value === 'bigint') return Number(value);
    return value;
  });
}

function isReceiptPayload(v: unknown): v is ReceiptPayload {
  if (typeof v !== 'object' || v === null) return false;
  const t = (v as { receipt_type?: unknown }).receipt_type;
  return (t === 'JobStartedReceipt' || t === 'JobAcceptedReceipt' || t === 'JobFinishedReceipt') && 'job_uuid' in v;
}

function isReceiptRecord(v: unknown): v is Receipt {
  return typeof v === 'object' && v !== null && 'payload' in v && 'validator_signature' in v && isReceiptPayload((v as { payload: unknown }).payload);
}
