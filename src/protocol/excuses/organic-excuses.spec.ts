import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { canonicalDatetimeFromMs, jobAcceptedPayload, jobStartedPayload, Receipt, signReceiptPayload } from '..';
import { BAC_VALIDATOR_SS58_ADDRESS, EXCUSE_RULES, filterValidExcuseReceipts, organicExcuseStakeFloorRao, organicExcuseValidators } from '.';

describe('TV-14 excuse receipts', () => {
  let validator: ReturnType<Keyring['addFromUri']>;
  let other: ReturnType<Keyring['addFromUri']>;
  const now = Date.UTC(2025, 0, 2, 3, 4, 5);
  const miner = '5FtFfam1u3qQ76pvHhNqMdgb1Tzk7iFYGC7ituYqaSqAkD5s';

  beforeAll(async () => {
    await cryptoWaitReady();
    const kr = new Keyring({ type: 'sr25519' });
    validator = kr.addFromUri('//validator_1');
    other = kr.addFromUri('//not_a_validator');
  });

  function started(over: Partial<{ job_uuid: string; miner_hotkey: string; validator_hotkey: string; is_organic: boolean; executor_class: string; atMs: number; ttl: number }> = {}, signer = validator): Receipt {
    const payload = jobStartedPayload({
      job_uuid: over.job_uuid ?? 'a1b2c3d4-0000-4000-8000-000000000001', miner_hotkey: over.miner_hotkey ?? miner,
      validator_hotkey: over.validator_hotkey ?? validator.address, timestamp: canonicalDatetimeFromMs(over.atMs ?? now - 1000),
      executor_class: (over.executor_class ?? 'always_on.llm.a6000') as 'always_on.llm.a6000', is_organic: over.is_organic ?? true, ttl: over.ttl ?? 10,
    });
    const signed = signReceiptPayload(signer, payload);
    return Object.assign(new Receipt(), { payload, validator_signature: signed.signature, miner_signature: null });
  }

  const ctx = () => ({
    minerHotkey: miner, declinedJobUuid: 'declined', executorClass: 'always_on.llm.a6000',
    // TV-14 runs the filter for a synthetic-style check (only organic receipts) with rule 10.
    checkTime: canonicalDatetimeFromMs(now), ...EXCUSE_RULES.organic, requireOrganic: true, allowedValidators: new Set([validator.address]),
  });

  it('base receipt is valid (1 result)', () => expect(filterValidExcuseReceipts([started()], ctx())).toHaveLength(1));
  it('the same receipt twice gives 1 result', () => expect(filterValidExcuseReceipts([started(), started()], ctx())).toHaveLength(1));
  it('a JobAccepted payload is not an excuse', () => {
    const payload = jobAcceptedPayload({ job_uuid: 'x', miner_hotkey: miner, validator_hotkey: validator.address, timestamp: canonicalDatetimeFromMs(now - 1000), time_accepted: canonicalDatetimeFromMs(now - 1000), ttl: 10 });
    const r = Object.assign(new Receipt(), { payload, validator_signature: signReceiptPayload(validator, payload).signature, miner_signature: null });
    expect(filterValidExcuseReceipts([r], ctx())).toHaveLength(0);
  });
  it.each([
    ['is_organic = false', { is_organic: false }],
    ['miner other_miner', { miner_hotkey: 'other_miner' }],
    ['job uuid declined', { job_uuid: 'declined' }],
    ['validator not in the active set', { validator_hotkey: 'someone' }],
    ['class always_on.gpu-24gb', { executor_class: 'always_on.gpu-24gb' }],
    ['timestamp now + 1 s', { atMs: now + 1000 }],
    ['timestamp now - 13 s (ttl 10 + leeway 2 exceeded)', { atMs: now - 13000 }],
  ])('%s gives 0 results', (_n, over) => expect(filterValidExcuseReceipts([started(over)], ctx())).toHaveLength(0));
  it('invalid validator signature gives 0 results', () => expect(filterValidExcuseReceipts([started({}, other)], ctx())).toHaveLength(0));
  it('organic declines accept non-organic receipts', () => expect(filterValidExcuseReceipts([started({ is_organic: false })], { ...ctx(), ...EXCUSE_RULES.organic })).toHaveLength(1));
});

describe('who may excuse an organic decline', () => {
  it('the given top stakes, the BAC validator always, and this validator', () => {
    expect([...organicExcuseValidators(['a', 'b'], '5Self')].sort()).toEqual([BAC_VALIDATOR_SS58_ADDRESS, '5Self', 'a', 'b'].sort());
  });
  it('the stake floor is the TAO minimum in rao, rounded up', () => {
    expect(organicExcuseStakeFloorRao(1000)).toBe(1_000_000_000_000n);
    expect(organicExcuseStakeFloorRao(0.0000000015)).toBe(2n);
  });
});
