import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { StaticValidatorHotkey } from '../../src/chain/validator-hotkey';
import { SystemClock } from '../../src/config/clock';
import { ConfigModule } from '../../src/config/config.module';
import { DynamicConfigModule } from '../../src/config/dynamic/dynamic-config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { MinerConnection } from '../../src/miners/connection';
import { ObservabilityModule } from '../../src/observability/observability.module';
import {
  buildMessage, canonicalDatetimeFromMs, jobStartedPayload, signReceiptPayload, V0InitialJobRequest,
} from '../../src/protocol';
import { ReceiptsModule } from '../../src/receipts/receipts.module';
import { ReceiptTransferService } from '../../src/receipts/transfer/receipt-transfer.service';
import { startSimulatedHorde, SimulatedHorde } from '../../src/devnet/miners';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { testConfig } from '../support/app';

/** Receipt transfer (miner-protocol.md §10.5) from the simulated miners' receipt pages. */
describe('transfer-receipts from simulated miners', () => {
  let app: INestApplicationContext;
  let db: ThrowawayDatabase;
  let horde: SimulatedHorde;

  beforeAll(async () => {
    await cryptoWaitReady();
    [db, horde] = await Promise.all([createThrowawayDatabase('chv_receipts'), startSimulatedHorde({ miners: [{ executors: 2, executorClass: 'always_on.test' }] })]);
    const m = horde.miners[0];
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig({ DEBUG_FETCH_RECEIPTS_FROM_MINERS: `${m.hotkey}:${m.host}:${m.port}` })), DatabaseModule.forRoot({ kind: 'postgres', url: db.url }), ObservabilityModule, DynamicConfigModule, ReceiptsModule],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await horde?.stop();
    await db?.drop();
  });

  it('stores countersigned receipts once, keeps a checkpoint and fetches only what is new', async () => {
    const m = horde.miners[0];
    const validator = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//ReceiptsValidator');
    const conn = new MinerConnection({ minerHotkey: m.hotkey, address: m.host, port: m.port, validatorHotkey: new StaticValidatorHotkey(validator), clock: new SystemClock(), maxRetries: 1 });
    const sendStarted = async (uuid: string) => {
      const s = signReceiptPayload(validator, jobStartedPayload({
        job_uuid: uuid, miner_hotkey: m.hotkey, validator_hotkey: validator.address, timestamp: canonicalDatetimeFromMs(Date.now()), executor_class: 'always_on.test', is_organic: true, ttl: 30,
      }));
      await conn.send(buildMessage(V0InitialJobRequest, {
        job_uuid: uuid, executor_class: 'always_on.test', docker_image: 'x', timeout_seconds: 5, volume: null,
        job_started_receipt_payload: s.payload, job_started_receipt_signature: s.signature, streaming_details: null, executor_timing: null,
      }));
      await conn.waitFor(['V0AcceptJobRequest', 'V0DeclineJobRequest'], { timeoutMs: 5000, jobUuid: uuid });
    };
    await sendStarted('11111111-1111-4111-8111-111111111111');
    await sendStarted('22222222-2222-4222-8222-222222222222');
    const transfer = app.get(ReceiptTransferService);
    const first = await transfer.transferPages([transfer.currentPage(), transfer.currentPage() - 1], { timeoutMs: 3000, concurrency: 5 });
    expect(first).toEqual({ stored: 2, lineErrors: 0, transferErrors: 0 });
    const ds = app.get(DataSource);
    const rows: { miner_signature: string | null; payload_blob: string }[] = await ds.query(`SELECT miner_signature, payload_blob FROM job_started_receipt ORDER BY job_uuid`);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.miner_signature?.startsWith('0x'))).toBe(true);
    expect(JSON.parse(rows[0].payload_blob).job_uuid).toBe('11111111-1111-4111-8111-111111111111');
    // nothing new: a range request answered 416
    expect(await transfer.transferPages([transfer.currentPage(), transfer.currentPage() - 1], { timeoutMs: 3000, concurrency: 5 })).toEqual({ stored: 0, lineErrors: 0, transferErrors: 0 });
    const cp: { position: string }[] = await ds.query(`SELECT position::text AS position FROM receipt_transfer_checkpoint`);
    expect(Number(cp[0].position)).toBeGreaterThan(0);
    // one more receipt: only the new bytes are fetched
    await sendStarted('33333333-3333-4333-8333-333333333333');
    expect(await transfer.transferPages([transfer.currentPage(), transfer.currentPage() - 1], { timeoutMs: 3000, concurrency: 5 })).toEqual({ stored: 1, lineErrors: 0, transferErrors: 0 });
    // a page that does not exist and an unreachable miner
    expect(await transfer.fetchPage({ hotkey: m.hotkey, address: m.host, port: m.port }, 1, 1000)).toEqual({ stored: 0, lineErrors: 0, transferError: null });
    expect((await transfer.fetchPage({ hotkey: 'x', address: '127.0.0.1', port: 1 }, 1, 1000)).transferError).not.toBeNull();
    await conn.close();
  });
});
