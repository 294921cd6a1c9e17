import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { jobStartedPayload, verifyReceiptValidatorSignature } from '../../protocol';
import { receiptSignerFor } from '../../synthetic-jobs/batch/receipt-signer';
import { Sr25519SigningPool } from './sr25519-signing-pool';

describe('sr25519 signing pool', () => {
  beforeAll(() => cryptoWaitReady());
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
  const payload = jobStartedPayload({
    job_uuid: '3f1c2b9e-0d4a-4c3e-9a51-7e2d8f6b1c20', miner_hotkey: '5MinerHotkey', validator_hotkey: pair.address,
    timestamp: '2025-11-04T12:00:00.123456Z', executor_class: 'spin_up-4min.gpu-24gb', is_organic: false, ttl: 298,
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

  it('never keeps a process alive: a script that leaves the pool open still exits', () => {
    const code = `
      const { Keyring } = require('@polkadot/keyring');
      const { cryptoWaitReady } = require('@polkadot/util-crypto');
      const { Sr25519SigningPool } = require('./src/chain/signing/sr25519-signing-pool');
      cryptoWaitReady().then(async () => {
        const pool = Sr25519SigningPool.forPair(new Keyring({ type: 'sr25519' }).addFromUri('//Alice'));
        const workers = await pool.whenStarted();
        await pool.sign(new Uint8Array([1, 2, 3]));
        process.stdout.write(JSON.stringify({ workers, counts: pool.counts }));
      });
    `;
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', code], { cwd: join(__dirname, '../../..'), timeout: 30_000, encoding: 'utf8' });
    // It got as far as signing on a worker (awaiting work keeps it alive), then exited on its own.
    expect(JSON.parse(out)).toEqual({ workers: 2, counts: { onWorkers: 1, here: 0 } });
  });
});
