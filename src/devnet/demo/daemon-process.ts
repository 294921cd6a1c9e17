import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../chain/project-paths';

export interface DaemonProcess {
  readonly url: string;
  readonly logPath: string;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Runs the real validator daemon as a child process (dist/main.js when built, else src/main.ts
 * through ts-node), so that it has its own event loop beside the in-process chain and peers.
 */
export async function startDaemonProcess(opts: {
  env: Record<string, string>;
  httpPort: number;
  logPath: string;
  readyTimeoutMs?: number;
}): Promise<DaemonProcess> {
  const root = projectRoot();
  const built = join(root, 'dist', 'main.js');
  const args = existsSync(built) ? [built] : ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')];
  const log = createWriteStream(opts.logPath, { flags: 'a' });
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      ENV: 'devnet', // also keeps the developer's own .env out of the demo
      DYNAMIC_CONFIG_BASE_URL: '', // the subnet owner's mainnet values are not for a devnet
      TS_NODE_PROJECT: join(root, 'tsconfig.json'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(opts.httpPort),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${opts.httpPort}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  let ready = false;
  while (!ready && Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health`);
      ready = res.status === 200;
    } catch {
      // not listening yet
    }
    if (!ready) await new Promise((r) => setTimeout(r, 300));
  }
  const stop = async (graceMs = 10_000): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    log.end();
    return code;
  };
  if (!ready) {
    await stop(2000);
    throw new Error(`the validator daemon did not become healthy (exit code ${String(child.exitCode)}); see ${opts.logPath}`);
  }
  return { url, logPath: opts.logPath, child, stop };
}
