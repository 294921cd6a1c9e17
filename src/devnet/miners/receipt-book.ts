import type { KeyringPair } from '@polkadot/keyring/types';
import {
  canonicalDatetimeFromMs, datetimeToEpochMicros, jobStartedPayload, Receipt, receiptBlob, signBlob, verifyReceiptValidatorSignature,
  type ReceiptPayload, type V0InitialJobRequest,
} from '../../protocol';
import type { ExecutorBehaviour } from './behaviour';
import { ReceiptPages } from './receipt-pages';

/**
 * The receipts a simulated miner holds: validator receipts it verified and countersigned (also appended to
 * its receipt pages), the genuine excuses it can show for a busy decline, and made-up excuses of 'decline'
 * executors.
 */
export class ReceiptBook {
  /** Every receipt this miner countersigned, in order. */
  readonly receipts: Receipt[] = [];
  readonly pages = new ReceiptPages();

  constructor(private readonly minerKey: KeyringPair) {}

  /**
   * Verifies and countersigns a validator receipt sent over the connection of `validator`. Returns null
   * when stored, else why it was rejected (the caller skips it silently, as the miner does).
   */
  store(validator: string, payload: ReceiptPayload, signature: string, nowMs: number): string | null {
    const why =
      payload.miner_hotkey !== this.minerKey.address ? 'wrong miner hotkey'
      : payload.validator_hotkey !== validator ? 'wrong validator hotkey'
      : !verifyReceiptValidatorSignature(payload, signature) ? 'invalid validator signature'
      : this.receipts.some((r) => r.payload.job_uuid === payload.job_uuid && r.payload.receipt_type === payload.receipt_type) ? 'duplicate receipt'
      : null;
    if (why) return why;
    const receipt = Object.assign(new Receipt(), { payload, validator_signature: signature, miner_signature: signBlob(this.minerKey, receiptBlob(payload)) });
    this.receipts.push(receipt);
    this.pages.append(receipt, nowMs);
    return null;
  }

  /** JobStarted receipts that excuse a busy decline at time T (§9.2): organic, same class, valid at T, other jobs. */
  excusesFor(initial: V0InitialJobRequest): Receipt[] {
    const t = datetimeToEpochMicros(initial.job_started_receipt_payload.timestamp);
    return this.receipts.filter((r) => {
      const p = r.payload;
      if (p.receipt_type !== 'JobStartedReceipt' || !p.is_organic || p.executor_class !== initial.executor_class || p.job_uuid === initial.job_uuid) return false;
      const start = datetimeToEpochMicros(p.timestamp);
      return start <= t && t <= start + BigInt(p.ttl) * 1_000_000n && !!r.miner_signature;
    });
  }

  /** Receipts for a 'decline' executor: organic JobStarted receipts of other validators' (made-up) jobs. */
  madeUpExcuses(
    initial: V0InitialJobRequest,
    behaviour: Extract<ExecutorBehaviour, { kind: 'decline' }>,
    signers: readonly KeyringPair[],
    nowMs: number,
  ): Receipt[] {
    if (behaviour.excuse === 'none') return [];
    const count = behaviour.excuseCount ?? 1;
    const out: Receipt[] = [];
    for (let i = 0; i < count; i++) {
      const signer = signers[i % Math.max(1, signers.length)] ?? this.minerKey;
      const payload = jobStartedPayload({
        job_uuid: globalThis.crypto.randomUUID(),
        miner_hotkey: this.minerKey.address,
        validator_hotkey: signer.address,
        timestamp: canonicalDatetimeFromMs(nowMs - 1000),
        executor_class: initial.executor_class,
        is_organic: true,
        ttl: 60,
      });
      const blob = receiptBlob(payload);
      // forged: a signature by the wrong key (the miner's), which does not verify as the validator's
      const validatorSignature = behaviour.excuse === 'valid' && signers.length > 0 ? signBlob(signer, blob) : signBlob(this.minerKey, `${blob} `);
      out.push(Object.assign(new Receipt(), { payload, validator_signature: validatorSignature, miner_signature: signBlob(this.minerKey, blob) }));
    }
    return out;
  }
}
