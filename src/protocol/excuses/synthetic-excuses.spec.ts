import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { canonicalDatetimeFromMs, jobAcceptedPayload, jobStartedPayload, Receipt, signBlob, receiptBlob, type ReceiptPayload } from '..';
import { allowedExcuseValidators, EXCUSE_RULES, filterValidExcuseReceipts, type ExcuseCheck } from '.';

// Vectors: synthetic-jobs.md §13.9 (the reference's test_job_excuses.py).
describe('excuse receipts of a busy synthetic decline', () => {
  let keyring: Keyring;
  const now = Date.UTC(2025, 10, 4, 12, 0, 0);
  beforeAll(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  });
  const miner = () => keyring.addFromUri('//Miner1');
  const validator = () => keyring.addFromUri('//Validator1');
  const notAllowed = () => keyring.addFromUri('//NotAllowed');

  const check = (): ExcuseCheck => ({
    checkTime: canonicalDatetimeFromMs(now),
    declinedJobUuid: 'declined',
    minerHotkey: miner().address,
    executorClass: 'always_on.llm.a6000',
    allowedValidators: allowedExcuseValidators([{ hotkey: validator().address, stake: 10n }], 5, '5Self', '5Bac'),
    ...EXCUSE_RULES.synthetic,
  });

  function receipt(over: Partial<{ job_uuid: string; is_organic: boolean; miner_hotkey: string; validator: ReturnType<typeof validator>; executor_class: 'always_on.llm.a6000' | 'always_on.gpu-24gb'; tsMs: number; ttl: number; badSignature: boolean; accepted: boolean }> = {}): Receipt {
    const signer = over.validator ?? validator();
    const common = { job_uuid: over.job_uuid ?? 'organic-1', miner_hotkey: over.miner_hotkey ?? miner().address, validator_hotkey: signer.address, timestamp: canonicalDatetimeFromMs(over.tsMs ?? now - 1000) };
    const payload: ReceiptPayload = over.accepted
      ? jobAcceptedPayload({ ...common, time_accepted: common.timestamp, ttl: 10 })
      : jobStartedPayload({ ...common, executor_class: over.executor_class ?? 'always_on.llm.a6000', is_organic: over.is_organic ?? true, ttl: over.ttl ?? 10 });
    const blob = receiptBlob(payload);
    return Object.assign(new Receipt(), { payload, validator_signature: signBlob(signer, over.badSignature ? `${blob}x` : blob), miner_signature: signBlob(miner(), blob) });
  }

  const valid = (rs: Receipt[], c: Partial<ExcuseCheck> = {}) => filterValidExcuseReceipts(rs, { ...check(), ...c }).length;

  it('the base receipt is valid', () => expect(valid([receipt()])).toBe(1));
  it('a job-accepted receipt is rejected', () => expect(valid([receipt({ accepted: true })])).toBe(0));
  it('a synthetic receipt is rejected', () => expect(valid([receipt({ is_organic: false })])).toBe(0));
  it('another miner is rejected', () => expect(valid([receipt({ miner_hotkey: notAllowed().address })])).toBe(0));
  it('the declined job itself is rejected', () => expect(valid([receipt({ job_uuid: 'declined' })])).toBe(0));
  it('a validator that is not allowed is rejected', () => expect(valid([receipt({ validator: notAllowed() })])).toBe(0));
  it('another executor class is rejected', () => expect(valid([receipt({ executor_class: 'always_on.gpu-24gb' })])).toBe(0));
  it('a receipt newer than the check time is rejected', () => expect(valid([receipt({ tsMs: now + 1000 })])).toBe(0));
  it('an expired receipt (now ≥ ts + ttl + 2 s) is rejected', () => expect(valid([receipt({ tsMs: now - 13_000, ttl: 10 })])).toBe(0));
  it('just inside the leeway is valid', () => expect(valid([receipt({ tsMs: now - 11_500, ttl: 10 })])).toBe(1));
  it('an invalid validator signature is rejected', () => expect(valid([receipt({ badSignature: true })])).toBe(0));
  it('duplicates: counted twice at the synthetic-era reference, once with rule 10', () => {
    expect(valid([receipt(), receipt()])).toBe(2);
    expect(valid([receipt(), receipt()], { rejectDuplicates: true })).toBe(1);
  });
  it('allowed validators: stake threshold, the BAC validator and this validator', () => {
    const allowed = allowedExcuseValidators([{ hotkey: 'a', stake: 40_000n }, { hotkey: 'b', stake: 20_000n }, { hotkey: '5Bac', stake: 0n }], 30_000, '5Self', '5Bac');
    expect([...allowed].sort()).toEqual(['5Bac', '5Self', 'a']);
  });
});
