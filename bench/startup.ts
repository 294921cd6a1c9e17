/**
 * `npm run bench -- startup`: how fast the validator starts and how much memory it holds idle.
 * - daemon (dist/main.js) time to the first 200 from /health, and its RSS 5 s later, on the embedded
 *   PostgreSQL (fresh DATA_DIR, then the same DATA_DIR again) and on DATABASE_URL (a throwaway
 *   database on the machine's PostgreSQL, TEST_POSTGRES_URL to override);
 * - validator-cli --help wall time (median of 5).
 * Goals (issue 16): daemon < 3 s, --help < 0.5 s, idle daemon RSS < 200 MB.
 * Runs the built dist/: `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBtcliWallet } from '../src/chain/wallet/btcli-wallet';
import { devnetSeed } from '../src/devnet/chain/local-chain';
import { createThrowawayDatabase } from '../test/support/postgres';

const ROOT = resolve(__dirname, '..');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function daemonStart(label: string, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(ROOT, 'dist/main.js')], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'warn', HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), BITTENSOR_NETWORK: 'ws://127.0.0.1:9', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${label}: the daemon exited (${child.exitCode}): ${stderr.slice(-500)}`);
      const status = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (Number(process.hrtime.bigint() - started) / 1e9 > 120) throw new Error(`${label}: no 200 from /health within 120 s: ${stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await new Promise((r) => setTimeout(r, 5000));
    const rss = rssMb(child.pid!);
    return `${label.padEnd(34)} /health 200 after ${seconds.toFixed(2)} s, idle RSS ${rss.toFixed(0)} MB`;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function helpTime(): string {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), '--help'], { cwd: tmpdir(), encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (r.status !== 0) throw new Error(`validator-cli --help exited ${r.status}`);
  }
  times.sort((a, b) => a - b);
  return `${'validator-cli --help'.padEnd(34)} ${times[2].toFixed(3)} s (median of 5; min ${times[0].toFixed(3)}, max ${times[4].toFixed(3)})`;
}

export async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/main.js'))) throw new Error('dist/main.js is missing: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), 'chv-bench-startup-'));
  chmodSync(dir, 0o755);
  const walletDir = join(dir, 'wallets');
  await writeBtcliWallet({ directory: walletDir, walletName: 'default', hotkeyName: 'default', secret: devnetSeed('bench-startup') });
  const base = { BITTENSOR_WALLET_DIRECTORY: walletDir };
  const db = await createThrowawayDatabase('chv_bench');
  try {
    const lines = [
      await daemonStart('daemon, embedded (fresh DATA_DIR)', { ...base, DATA_DIR: join(dir, 'data') }),
      await daemonStart('daemon, embedded (existing)', { ...base, DATA_DIR: join(dir, 'data') }),
      await daemonStart('daemon, DATABASE_URL (migrated)', { ...base, DATABASE_URL: db.url }),
      await daemonStart('daemon, DATABASE_URL (existing)', { ...base, DATABASE_URL: db.url }),
      helpTime(),
    ];
    process.stdout.write(`${lines.join('\n')}\ngoals: daemon < 3 s, --help < 0.5 s, idle daemon RSS < 200 MB (the embedded server's own processes are not in the daemon's RSS)\n`);
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
