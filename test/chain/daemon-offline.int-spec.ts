import type { INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../support/app';
import { embeddedDataDir } from '../support/postgres';
import { ValidatorHotkey } from '../../src/chain/validator-hotkey';
import { ChainService } from '../../src/chain/chain.service';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { devnetSeed } from '../../src/devnet/chain/local-chain';

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('the daemon without a chain and without a wallet', () => {
  let app: INestApplication;
  let walletDir: string;
  let endpoint: string;
  const data = embeddedDataDir();

  beforeAll(async () => {
    walletDir = mkdtempSync(join(tmpdir(), 'chv-nowallet-'));
    endpoint = `ws://127.0.0.1:${await closedPort()}`;
    app = await startDaemon({ kind: 'embedded', dataDir: data.dataDir }, { BITTENSOR_NETWORK: endpoint, BITTENSOR_WALLET_DIRECTORY: walletDir });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(walletDir, { recursive: true, force: true });
    data.remove();
  });

  it('starts, keeps serving /health, and answers 503 naming the unreadable hotkey; a short chain outage is reported, not fatal', async () => {
    const { port } = app.getHttpServer().address() as { port: number };
    // give the background connection a moment to fail at least once
    const deadline = Date.now() + 10_000;
    while (!app.get(ChainService).connection.lastError && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; critical: boolean; detail?: string }> };
    expect(body.status).toBe('unhealthy');
    expect(body.checks.chain).toMatchObject({ ok: false, critical: false });
    expect(body.checks.chain.detail).toContain(`not connected to ${endpoint}`);
    expect(body.checks.chain.detail).toContain('unhealthy after 600 s (HEALTH_CHAIN_UNREACHABLE_SECONDS)');
    expect(body.checks.wallet).toEqual({
      ok: false,
      critical: true,
      detail: `validator hotkey ${join(walletDir, 'default', 'hotkeys', 'default')}: file not found (BITTENSOR_WALLET_DIRECTORY / BITTENSOR_WALLET_NAME / BITTENSOR_WALLET_HOTKEY_NAME; restart after fixing)`,
    });
  });

  it('fails every use of the hotkey and every chain read with a clear error', async () => {
    expect(() => app.get(ValidatorHotkey).pair).toThrow(/validator hotkey .*: file not found/);
    await expect(app.get(ChainService).api(500)).rejects.toThrow(new RegExp(`subtensor at ${endpoint} is not reachable .*retrying in the background`));
  });
});

describe('the daemon with a wallet and the chain unreachable longer than HEALTH_CHAIN_UNREACHABLE_SECONDS', () => {
  let app: INestApplication;
  let walletDir: string;
  const data = embeddedDataDir();

  beforeAll(async () => {
    walletDir = mkdtempSync(join(tmpdir(), 'chv-wallet-'));
    await writeBtcliWallet({ directory: walletDir, walletName: 'default', hotkeyName: 'default', secret: devnetSeed('health-test') });
    const endpoint = `ws://127.0.0.1:${await closedPort()}`;
    app = await startDaemon({ kind: 'embedded', dataDir: data.dataDir }, { BITTENSOR_NETWORK: endpoint, BITTENSOR_WALLET_DIRECTORY: walletDir, HEALTH_CHAIN_UNREACHABLE_SECONDS: '1' });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(walletDir, { recursive: true, force: true });
    data.remove();
  });

  it('answers 503 naming the chain once the outage is longer than the limit', async () => {
    const { port } = app.getHttpServer().address() as { port: number };
    await new Promise((r) => setTimeout(r, 1500));
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; critical: boolean; detail?: string }> };
    expect(res.status).toBe(503);
    expect(body.checks.wallet).toMatchObject({ ok: true, critical: true });
    expect(body.checks.chain).toMatchObject({ ok: false, critical: true });
    expect(body.checks.chain.detail).toContain('check BITTENSOR_NETWORK');
  });
});
