import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { createDataSource } from '../../src/database/data-source.factory';
import { DEVNET_ECHO_HASH_IMAGE, startSimulatedHorde, type SimulatedHorde } from '../../src/devnet/miners';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/postgres';
import { runCli, type Ran } from '../support/processes';

jest.setTimeout(240_000);

function cli(args: string[], env: Record<string, string>): Promise<Ran> {
  return runCli(args, { LOG_LEVEL: 'error', ...env }, { timeoutMs: 200_000, offlineDynamicConfig: false });
}

describe('validator-cli debug-run-organic-job against simulated miners', () => {
  let horde: SimulatedHorde;
  let db: ThrowawayDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    await cryptoWaitReady();
    [db, horde] = await Promise.all([
      createThrowawayDatabase(),
      startSimulatedHorde({
        miners: [
          { executors: [{ executorClass: 'always_on.test', behaviour: { kind: 'honest' } }] },
          { executors: [{ executorClass: 'always_on.test', behaviour: { kind: 'silent', after: 'initial-request' } }] },
        ],
      }),
    ]);
    const created = await createDataSource({ kind: 'postgres', url: db.url });
    for (const m of horde.miners) await created.dataSource.query(`INSERT INTO miner (hotkey, address, port) VALUES ($1, $2, $3)`, [m.hotkey, m.host, m.port]);
    await created.close();
    const walletDir = mkdtempSync(join(tmpdir(), 'chv-wallet-'));
    await writeBtcliWallet({ directory: walletDir, walletName: 'validator', hotkeyName: 'default', secret: new Uint8Array(32).fill(42) });
    env = {
      DATABASE_URL: db.url, BITTENSOR_WALLET_DIRECTORY: walletDir, BITTENSOR_WALLET_NAME: 'validator', BITTENSOR_WALLET_HOTKEY_NAME: 'default',
      DYNAMIC_EXECUTOR_RESERVATION_TIME_LIMIT: '2', DYNAMIC_EXECUTOR_STARTUP_TIME_LIMIT: '1',
    };
  });
  afterAll(async () => {
    await horde?.stop();
    await db?.drop();
  });

  it('prints every status update; exits 0 on success, 1 with --nonzero-if-not-complete on a failing miner', async () => {
    const common = ['--executor-class', 'always_on.test', '--timeout', '5', '--docker-image', DEVNET_ECHO_HASH_IMAGE, '--cmd-args', `--greeting "hello world"`];
    const [ok, bad, blacklisted] = await Promise.all([
      cli(['debug-run-organic-job', '--miner-hotkey', horde.miners[0].hotkey, ...common, '--nonzero-if-not-complete'], env),
      cli(['debug-run-organic-job', '--miner-hotkey', horde.miners[1].hotkey, ...common, '--nonzero-if-not-complete'], env),
      cli(['debug-run-organic-job', '--miner-hotkey', '5NoSuchMinerHotkey', ...common], env),
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const lines = ok.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('job status: '))).toEqual(['job status: accepted', 'job status: executor_ready', 'job status: volumes_ready', 'job status: execution_done', 'job status: completed']);
    expect(ok.stdout).toContain('stdout: args: ["--greeting","hello world"]');
    expect(ok.stdout).toMatch(/Job [0-9a-f-]{36} done processing/);

    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('job status: failed');
    expect(bad.stdout).toContain('reason: initial_response_timed_out');
    expect(bad.stdout).toMatch(/Job [0-9a-f-]{36} done processing/);

    expect(blacklisted.code).toBe(1);
    expect(blacklisted.stderr).toContain('Miner with hotkey 5NoSuchMinerHotkey not found');
  });
});
