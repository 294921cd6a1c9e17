import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { jobStartedPayload, verifyReceiptValidatorSignature } from '../../protocol';
import { receiptSignerFor, signBytesWith } from './receipt-signer';

describe('receipt signer', () => {
  beforeAll(() => cryptoWaitReady());
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
  const payload = jobStartedPayload({
    job_uuid: '3f1c2b9e-0d4a-4c3e-9a51-7e2d8f6b1c20', miner_hotkey: '5MinerHotkey', validator_hotkey: pair.address,
    timestamp: '2025-11-04T12:00:00.123456Z', executor_class: 'spin_up-4min.gpu-24gb', is_organic: false, ttl: 298,
  });

  it('signs the canonical blob with a signature any sr25519 verifier accepts', async () => {
    const signed = await receiptSignerFor(signBytesWith(pair))(payload);
    expect(signed.blob).toBe(`{"executor_class": "spin_up-4min.gpu-24gb", "is_organic": false, "job_uuid": "3f1c2b9e-0d4a-4c3e-9a51-7e2d8f6b1c20", "miner_hotkey": "5MinerHotkey", "receipt_type": "JobStartedReceipt", "timestamp": "2025-11-04T12:00:00.123456Z", "ttl": 298, "validator_hotkey": "${pair.address}"}`);
    expect(signed.signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(verifyReceiptValidatorSignature(payload, signed.signature)).toBe(true);
    expect(verifyReceiptValidatorSignature({ ...payload, ttl: 299 } as typeof payload, signed.signature)).toBe(false);
  });

});
