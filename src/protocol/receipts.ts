import type { KeyringPair } from '@polkadot/keyring/types';
import { Equals, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString } from 'class-validator';
import { canonicalJson } from './canonical-json';
import { canonicalDatetime } from './datetime';
import { CanonicalDatetimeField, LaxBool, LaxInt } from './lenient';
import { EXECUTOR_CLASSES, type ExecutorClass } from './executor-class';
import { isPlainObject, parseModel, TaggedUnion, type ParseOutcome } from './model';
import { signBlob, verifyBlob, type SignatureHex } from './signing';
import type { ReceiptType } from './enums';
import { ValidateBy } from 'class-validator';

/**
 * Receipts (miner-protocol.md §10). Datetimes are canonical pydantic strings (microseconds kept), so
 * the blob recomputed from a parsed payload is the blob that was signed.
 */

const IsIntArray = ValidateBy({
  name: 'isIntArray',
  validator: {
    validate: (v: unknown) => Array.isArray(v) && v.every((x) => Number.isInteger(x)),
    defaultMessage: () => 'block_numbers must be an array of integers',
  },
});

abstract class ReceiptPayloadBase {
  @IsString() job_uuid!: string;
  @IsString() miner_hotkey!: string;
  @IsString() validator_hotkey!: string;
  /** Canonical datetime string (pydantic JSON mode). */
  @CanonicalDatetimeField() @IsString() timestamp!: string;
}

export class JobStartedReceiptPayload extends ReceiptPayloadBase {
  @Equals('JobStartedReceipt') readonly receipt_type = 'JobStartedReceipt' as const;
  @IsIn(EXECUTOR_CLASSES) executor_class!: ExecutorClass;
  @LaxBool() @IsBoolean() is_organic!: boolean;
  @LaxInt() @IsInt() ttl!: number;
}

export class JobAcceptedReceiptPayload extends ReceiptPayloadBase {
  @Equals('JobAcceptedReceipt') readonly receipt_type = 'JobAcceptedReceipt' as const;
  @CanonicalDatetimeField() @IsString() time_accepted!: string;
  @LaxInt() @IsInt() ttl!: number;
}

export class JobFinishedReceiptPayload extends ReceiptPayloadBase {
  @Equals('JobFinishedReceipt') readonly receipt_type = 'JobFinishedReceipt' as const;
  @CanonicalDatetimeField() @IsString() time_started!: string;
  @LaxInt() @IsInt() time_took_us!: number;
  @IsString() score_str!: string;
  @IsOptional() @IsArray() @IsIntArray block_numbers: number[] = [];
}

export type ReceiptPayload = JobStartedReceiptPayload | JobAcceptedReceiptPayload | JobFinishedReceiptPayload;

export const RECEIPT_PAYLOAD_CLASSES = {
  JobStartedReceipt: JobStartedReceiptPayload,
  JobAcceptedReceipt: JobAcceptedReceiptPayload,
  JobFinishedReceipt: JobFinishedReceiptPayload,
};

/** A complete receipt record as miners publish it: payload.receipt_type is mandatory here. */
export class Receipt {
  @TaggedUnion('receipt_type', RECEIPT_PAYLOAD_CLASSES) payload!: ReceiptPayload;
  @IsString() validator_signature!: string;
  @IsOptional() @IsString() miner_signature?: string | null = null;
}

const DATETIME_FIELDS = new Set(['timestamp', 'time_accepted', 'time_started']);

/** Field names of each payload type in the reference's model_dump_json order. */
const FIELD_ORDER: Record<ReceiptType, readonly string[]> = {
  JobStartedReceipt: ['job_uuid', 'miner_hotkey', 'validator_hotkey', 'timestamp', 'receipt_type', 'executor_class', 'is_organic', 'ttl'],
  JobAcceptedReceipt: ['job_uuid', 'miner_hotkey', 'validator_hotkey', 'timestamp', 'receipt_type', 'time_accepted', 'ttl'],
  JobFinishedReceipt: ['job_uuid', 'miner_hotkey', 'validator_hotkey', 'timestamp', 'receipt_type', 'time_started', 'time_took_us', 'score_str', 'block_numbers'],
};

/** The payload as a plain object with only the model's fields, in the reference's order. */
export function receiptPayloadToJson(payload: ReceiptPayload): Record<string, string | number | boolean | number[]> {
  const out: Record<string, string | number | boolean | number[]> = {};
  const source = payload as unknown as Record<string, string | number | boolean | number[]>;
  for (const key of FIELD_ORDER[payload.receipt_type]) {
    const value = source[key];
    // the miner re-renders datetimes before verifying, so we send and sign the canonical form (e.g. ".123000Z")
    out[key] = DATETIME_FIELDS.has(key) && typeof value === 'string' ? canonicalDatetime(value) ?? value : value;
  }
  return out;
}

/** The exact string both parties sign: json.dumps(payload, sort_keys=True) (§3.4, §10.2). */
export function receiptBlob(payload: ReceiptPayload): string {
  return canonicalJson(receiptPayloadToJson(payload));
}

export interface SignedReceiptPayload<P extends ReceiptPayload = ReceiptPayload> {
  payload: P;
  /** The exact signed string. */
  blob: string;
  signature: SignatureHex;
}

export function signReceiptPayload<P extends ReceiptPayload>(pair: KeyringPair, payload: P): SignedReceiptPayload<P> {
  const blob = receiptBlob(payload);
  return { payload, blob, signature: signBlob(pair, blob) };
}

export function verifyReceiptValidatorSignature(payload: ReceiptPayload, signature: unknown): boolean {
  return verifyBlob(receiptBlob(payload), signature, payload.validator_hotkey);
}

export function verifyReceiptMinerSignature(payload: ReceiptPayload, signature: unknown): boolean {
  return verifyBlob(receiptBlob(payload), signature, payload.miner_hotkey);
}

/** Both signatures of a complete receipt (what receipt pages require). */
export function verifyReceipt(receipt: Receipt): { validator: boolean; miner: boolean } {
  return {
    validator: verifyReceiptValidatorSignature(receipt.payload, receipt.validator_signature),
    miner: verifyReceiptMinerSignature(receipt.payload, receipt.miner_signature),
  };
}

/** Compact JSON line of a Receipt, keys in the reference's order (receipt pages, excuse lists). */
export function serializeReceipt(receipt: Receipt): string {
  return JSON.stringify({
    payload: receiptPayloadToJson(receipt.payload),
    validator_signature: receipt.validator_signature,
    miner_signature: receipt.miner_signature ?? null,
  });
}

export function parseReceipt(plain: unknown): ParseOutcome<Receipt> {
  return parseModel(Receipt, plain);
}

/** Parses one receipt page line (JSON text). */
export function parseReceiptLine(line: string): ParseOutcome<Receipt> {
  let plain: unknown;
  try {
    plain = JSON.parse(line);
  } catch (e) {
    return { ok: false, reason: `not JSON: ${(e as Error).message}` };
  }
  return parseReceipt(plain);
}

/** Parses a payload whose receipt_type may be omitted (it then defaults to `type`, §5.3). */
export function parseReceiptPayload<T extends ReceiptType>(type: T, plain: unknown): ParseOutcome<InstanceType<(typeof RECEIPT_PAYLOAD_CLASSES)[T]>> {
  if (!isPlainObject(plain)) return { ok: false, reason: 'receipt payload must be an object' };
  if (plain.receipt_type !== undefined && plain.receipt_type !== type) {
    return { ok: false, reason: `receipt_type must be ${type}, got ${JSON.stringify(plain.receipt_type)}` };
  }
  return parseModel(RECEIPT_PAYLOAD_CLASSES[type] as never, plain) as ParseOutcome<InstanceType<(typeof RECEIPT_PAYLOAD_CLASSES)[T]>>;
}

/** Builders for the validator (and the simulated miner): fields as on the wire, datetimes canonical. */
export function jobStartedPayload(fields: Omit<JobStartedReceiptPayload, 'receipt_type'>): JobStartedReceiptPayload {
  return Object.assign(new JobStartedReceiptPayload(), fields);
}
export function jobAcceptedPayload(fields: Omit<JobAcceptedReceiptPayload, 'receipt_type'>): JobAcceptedReceiptPayload {
  return Object.assign(new JobAcceptedReceiptPayload(), fields);
}
export function jobFinishedPayload(fields: Omit<JobFinishedReceiptPayload, 'receipt_type' | 'block_numbers'> & { block_numbers?: number[] }): JobFinishedReceiptPayload {
  return Object.assign(new JobFinishedReceiptPayload(), { block_numbers: [], ...fields });
}

/** Receipt page of a unix time (PAGE_TIME = 300 s). */
export const RECEIPT_PAGE_SECONDS = 300;
export function receiptPage(unixSeconds: number): number {
  return Math.floor(unixSeconds / RECEIPT_PAGE_SECONDS);
}
