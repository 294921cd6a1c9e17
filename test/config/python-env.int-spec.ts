import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { devnetSeed } from '../../src/devnet/chain/local-chain';
import { SimulatedFacilitator } from '../../src/devnet/facilitator/simulated-facilitator';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/postgres';
import { runEntry } from '../support/processes';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../..');
const PYTHON_ENV = join(ROOT, 'test', 'fixtures', 'python-runner.env');
const SECRETS = ['pS5xq2Lm0Zr8TkQ', 'q3Xv9LrT0bWc7ZkPfN2sYhJ4mUeA8dGi6oRt1VxQ5nBzKyCw', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A folder holding the Python runner's .env (test/fixtures/python-runner.env) plus `extra` lines. */
function pythonEnvFolder(extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'chv-pyenv-'));
  copyFileSync(PYTHON_ENV, join(dir, '.env'));
  if (extra.length) appendFileSync(join(dir, '.env'), `${extra.join('\n')}\n`);
  return dir;
}

/**
 * An operator's Python `.env` (the documented result, src/config/README.md "Switching from the
 * Python validator"): the daemon reads it from its working directory, warns once per variable that
 * has no effect, honours POSTGRES_PASSWORD as the reference does, takes host:port networks, and
 * sends VALIDATOR_VERSION from it to the facilitator.
 */
describe("the daemon started with a Python validator's .env", () => {
  it('as is: one warning line per variable without effect, then the reference database db:5432 (unreachable here)', async () => {
    const res = await runEntry('src/main.ts', [], {}, { cwd: pythonEnvFolder(), offlineDynamicConfig: false });
    const output = res.stdout + res.stderr;
    expect(res.code).toBe(1);
    const lines = [
      'DEBUG_DONT_STAGGER_VALIDATORS (from .env) has no effect here: not ported (scoring-synthetic-era.md §4.5); use `validator-cli debug-run-synthetic-jobs`',
      'SECRET_KEY (from .env) has no effect here: no admin sessions or CSRF tokens here',
      'SENTRY_DSN (from .env) has no effect here: Sentry is not integrated; logs are JSON lines on stdout',
      'DATABASE_URL is unset and POSTGRES_PASSWORD is set: connecting to postgres://postgres:***@db:5432/postgres as the Python validator does; ' +
        'set DATABASE_URL for another server, or remove POSTGRES_PASSWORD to use the embedded database under DATA_DIR',
    ];
    for (const line of lines) expect(output.split(line).length - 1).toBe(1);
    expect(output).toContain('[Config]');
    expect(output).toMatch(/ENOTFOUND db/);
    for (const secret of SECRETS) expect(output).not.toContain(secret);
  });

  describe('with DATABASE_URL added (the one line an operator changes)', () => {
    let db: ThrowawayDatabase;
    let facilitator: SimulatedFacilitator;
    let daemon: ChildProcess | undefined;
    let output = '';

    beforeAll(async () => {
      await cryptoWaitReady();
      const sdkSigner = new Keyring({ type: 'sr25519' }).addFromSeed(devnetSeed('python-env-facilitator'));
      [db, facilitator] = await Promise.all([createThrowawayDatabase(), new SimulatedFacilitator({ validators: [], sdkSigner }).start()]);
    });
    afterAll(async () => {
      if (daemon && daemon.exitCode === null) {
        const exited = new Promise((r) => daemon?.once('exit', r));
        daemon.kill('SIGTERM');
        const timer = setTimeout(() => daemon?.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await facilitator?.close();
      await db?.drop();
    });

    it('starts, and the facilitator sees the VALIDATOR_VERSION of .env', async () => {
      const walletDir = mkdtempSync(join(tmpdir(), 'chv-pyenv-wallet-'));
      await writeBtcliWallet({ directory: walletDir, walletName: 'validator', hotkeyName: 'default', secret: devnetSeed('python-env-validator') });
      const httpPort = await freePort();
      const chainPort = await freePort(); // nothing listens: the chain is down, the rest works
      const cwd = pythonEnvFolder([
        `DATABASE_URL=${db.url}`,
        `BITTENSOR_NETWORK=127.0.0.1:${chainPort}`,
        `FACILITATOR_URI=${facilitator.url}`,
        `HTTP_PORT=${httpPort}`,
        'HTTP_HOST=127.0.0.1',
        `BITTENSOR_WALLET_DIRECTORY=${walletDir}`,
        'STATS_COLLECTOR_URL=',
        'DYNAMIC_CONFIG_BASE_URL=',
      ]);
      daemon = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), NODE_PATH: join(ROOT, 'node_modules') },
      });
      daemon.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      daemon.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const deadline = Date.now() + 120_000;
      while (facilitator.connectionVersions.length === 0 && Date.now() < deadline && daemon.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect(daemon.exitCode).toBeNull();
      expect(facilitator.connectionVersions[0]).toEqual({ validator: 'v0-from-python-env', runner: 'unknown' });
      const health = await fetch(`http://127.0.0.1:${httpPort}/health`);
      expect(health.status).toBe(200);
      // BITTENSOR_NETWORK=host:port is a plain WebSocket endpoint
      const body = (await health.json()) as { checks: { chain: { detail: string } } };
      expect(body.checks.chain.detail).toContain(`not connected to ws://127.0.0.1:${chainPort}`);
      expect(output).toContain('SECRET_KEY (from .env) has no effect here');
      expect(output).not.toContain('DATABASE_URL is unset');
      for (const secret of SECRETS) expect(output).not.toContain(secret);
    });
  });
});
