import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { jobStartedPayload, verifyReceiptValidatorSignature } from '../../protocol';
import { Sr25519SigningPool } from '../../chain/signing/sr25519-signing-pool';
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

  it('signs through worker threads: many receipts at once, each verifying; after close on this thread', async () => {
    const pool = Sr25519SigningPool.forPair(pair, { threads: 2 }) as Sr25519SigningPool;
    expect(pool).not.toBeNull();
    expect(await pool.whenStarted()).toBe(2);
    const sign = receiptSignerFor((m) => pool.sign(m));
    const payloads = Array.from({ length: 300 }, (_, i) => ({ ...payload, ttl: i + 5 }));
    const signed = await Promise.all(payloads.map((p) => sign(p)));
    expect(pool.counts).toEqual({ onWorkers: 300, here: 0 });
    signed.forEach((s, i) => expect(verifyReceiptValidatorSignature(payloads[i], s.signature)).toBe(true));
    await pool.close();
    const late = await sign(payload);
    expect(verifyReceiptValidatorSignature(payload, late.signature)).toBe(true);
    expect(pool.counts.here).toBe(1);
  });

  it('signs on the calling thread while no worker is up, so nothing waits for the workers to load', async () => {
    const pool = Sr25519SigningPool.forPair(pair, { threads: 1 }) as Sr25519SigningPool;
    const early = await receiptSignerFor((m) => pool.sign(m))(payload);
    expect(verifyReceiptValidatorSignature(payload, early.signature)).toBe(true);
    expect(pool.counts).toEqual({ onWorkers: 0, here: 1 });
    await pool.close();
  });
});
