import type { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { devnetSeed } from '../../src/devnet/chain/local-chain';
import { DataSource } from 'typeorm';
import { startDaemon, cliContext } from '../support/app';
import { createThrowawayDatabase, embeddedDataDir, ThrowawayDatabase } from '../support/postgres';
import { SystemEventsService } from '../../src/observability/system-events/system-events.service';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import type { RecordedSystemEvent } from '../../src/observability/system-events/system-event.types';

function baseUrl(app: INestApplication): string {
  const address = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

describe.each([
  ['embedded PostgreSQL', 'embedded'],
  ['PostgreSQL', 'postgres'],
] as const)('the daemon on %s', (_label, kind) => {
  let app: INestApplication;
  let db: ThrowawayDatabase | undefined;
  let data: ReturnType<typeof embeddedDataDir> | undefined;

  beforeAll(async () => {
    // a readable hotkey: without one /health is 503 (test/chain/daemon-offline.int-spec.ts)
    const walletDir = mkdtempSync(join(tmpdir(), 'chv-wallet-'));
    await writeBtcliWallet({ directory: walletDir, walletName: 'default', hotkeyName: 'default', secret: devnetSeed('daemon-test') });
    const env = { BITTENSOR_WALLET_DIRECTORY: walletDir };
    if (kind === 'postgres') {
      db = await createThrowawayDatabase();
      app = await startDaemon({ kind: 'postgres', url: db.url }, env);
    } else {
      data = embeddedDataDir();
      app = await startDaemon({ kind: 'embedded', dataDir: data.dataDir }, env);
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    data?.remove();
  });

  it('migrates and answers /health with 200 and the database check', async () => {
    const res = await fetch(`${baseUrl(app)}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true, critical: true } } });
    const tables = (await app.get(DataSource).query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)) as { tablename: string }[];
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['system_event', 'dynamic_config', 'miner', 'migrations']));
  });

  it('serves Prometheus metrics with process metrics and validator_info', async () => {
    const res = await fetch(`${baseUrl(app)}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('process_cpu_user_seconds_total');
    expect(body).toMatch(/validator_info\{version="[^"]+",runner_version="unknown",netuid="12",network="finney"\} 1/);
  });

  it('records system events in the database and streams them live', async () => {
    const events = app.get(SystemEventsService);
    const seen: RecordedSystemEvent[] = [];
    const sub = events.events$.subscribe((e) => seen.push(e));
    await events.record({ type: 'VALIDATOR_TELEMETRY', subtype: 'SUCCESS', description: 'hello', data: { stake: 10n ** 20n, when: new Date(0) } });
    sub.unsubscribe();
    expect(seen).toHaveLength(1);
    const [row] = await events.recent(1);
    expect(row).toMatchObject({ type: 'VALIDATOR_TELEMETRY', subtype: 'SUCCESS', longDescription: 'hello', data: { stake: '100000000000000000000', when: '1970-01-01T00:00:00.000Z' } });
  });

  it('answers 503 naming the database when it stops answering', async () => {
    const ds = app.get(DataSource);
    const original = ds.query.bind(ds);
    ds.query = (() => Promise.reject(new Error('connection refused'))) as typeof ds.query;
    try {
      const res = await fetch(`${baseUrl(app)}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unhealthy', checks: { database: { ok: false, detail: 'connection refused' } } });
    } finally {
      ds.query = original;
    }
  });
});

describe('dynamic config', () => {
  it('takes an override over the environment over the default', async () => {
    const db = await createThrowawayDatabase();
    const ctx = await cliContext({ kind: 'postgres', url: db.url }, { DYNAMIC_BURN_RATE: '0.25' });
    try {
      const dynamic = ctx.get(DynamicConfigService);
      expect(await dynamic.get('DYNAMIC_EXECUTOR_RESERVATION_TIME_LIMIT')).toBe(7);
      expect(await dynamic.get('DYNAMIC_BURN_RATE')).toBe(0.25);
      expect(await dynamic.get('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI')).toBe(10_000_000_000_000_000n);
      await dynamic.set('DYNAMIC_BURN_RATE', '0.5');
      await dynamic.set('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI', '123456789012345678901234567890');
      expect(await dynamic.get('DYNAMIC_BURN_RATE')).toBe(0.5);
      expect(await dynamic.get('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI')).toBe(123456789012345678901234567890n);
      await expect(dynamic.set('DYNAMIC_BURN_RATE', 'lots')).rejects.toThrow('DYNAMIC_BURN_RATE: expected a finite number >= 0 and <= 1');
      await expect(dynamic.set('NOT_A_KEY', '1')).rejects.toThrow('unknown dynamic config key NOT_A_KEY');
    } finally {
      await ctx.close();
      await db.drop();
    }
  });
});
