import type { INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../support/app';
import { ValidatorHotkey } from '../../src/chain/validator-hotkey';
import { ChainService } from '../../src/chain/chain.service';

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

  beforeAll(async () => {
    walletDir = mkdtempSync(join(tmpdir(), 'chv-nowallet-'));
    endpoint = `ws://127.0.0.1:${await closedPort()}`;
    app = await startDaemon({ kind: 'pglite', dataDir: 'memory' }, { BITTENSOR_NETWORK: endpoint, BITTENSOR_WALLET_DIRECTORY: walletDir });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(walletDir, { recursive: true, force: true });
  });

  it('starts, keeps serving /health and reports chain and wallet as failing non-critical checks', async () => {
    const { port } = app.getHttpServer().address() as { port: number };
    // give the background connection a moment to fail at least once
    const deadline = Date.now() + 10_000;
    while (!app.get(ChainService).connection.lastError && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; critical: boolean; detail?: string }> };
    expect(body.status).toBe('ok');
    expect(body.checks.chain).toMatchObject({ ok: false, critical: false });
    expect(body.checks.chain.detail).toContain(`not connected to ${endpoint}`);
    expect(body.checks.wallet).toEqual({
      ok: false,
      critical: false,
      detail: `validator hotkey ${join(walletDir, 'default', 'hotkeys', 'default')}: file not found`,
    });
  });

  it('fails every use of the hotkey and every chain read with a clear error', async () => {
    expect(() => app.get(ValidatorHotkey).pair).toThrow(/validator hotkey .*: file not found/);
    await expect(app.get(ChainService).api(500)).rejects.toThrow(new RegExp(`subtensor at ${endpoint} is not reachable .*retrying in the background`));
  });
});
