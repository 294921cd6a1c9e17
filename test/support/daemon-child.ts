import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';

const ROOT = resolve(__dirname, '../..');

export interface DaemonChild {
  url: string;
  child: ChildProcess;
  /** Resident set size of the daemon process now, bytes (/proc/<pid>/status VmRSS). */
  rss(): number;
  /** Everything the daemon wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * The real daemon (src/main.ts through ts-node, so always the current source) in its own process
 * on `databaseUrl`, with a throwaway wallet and no reachable chain or facilitator unless `env` says
 * otherwise. Resolves once /health answers 200.
 */
export async function startDaemonChild(databaseUrl: string, env: Record<string, string> = {}, readyTimeoutMs = 180_000): Promise<DaemonChild> {
  const port = await freePort();
  const wallets = mkdtempSync(join(tmpdir(), 'chv-child-wallet-'));
  await writeBtcliWallet({ directory: wallets, walletName: 'test', hotkeyName: 'test', secret: randomBytes(32) });
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      ENV: 'test',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      LOG_LEVEL: 'warn',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      DATABASE_URL: databaseUrl,
      BITTENSOR_NETWORK: 'ws://127.0.0.1:9',
      FACILITATOR_URI: '',
      STATS_COLLECTOR_URL: '',
      DYNAMIC_CONFIG_BASE_URL: '',
      BITTENSOR_WALLET_DIRECTORY: wallets,
      BITTENSOR_WALLET_NAME: 'test',
      BITTENSOR_WALLET_HOTKEY_NAME: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-200_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-200_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    }
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the daemon exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the daemon did not become healthy in ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const rss = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  };
  return { url, child, rss, output: () => output, stop };
}
