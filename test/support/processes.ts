import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface Ran {
  code: number | null;
  /** The signal that ended it (Nest re-raises SIGTERM after its shutdown hooks, so a clean stop ends with it). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Spawned {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  exited: Promise<Ran>;
}

/**
 * Starts an entry point of the project (src/main.ts, src/cli.ts) through ts-node in a child process,
 * with a clean environment plus `env` (never the developer's .env: the cwd is given or a temp folder;
 * no remote dynamic config unless `env` names a source: the subnet owner's live values would change results).
 * Non-blocking: the in-process chain keeps running while it does.
 */
export function spawnEntry(entry: 'src/main.ts' | 'src/cli.ts', args: string[], env: Record<string, string>, opts: { cwd: string }): Spawned {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, entry), ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), NODE_PATH: join(ROOT, 'node_modules'), LOG_LEVEL: 'warn', DYNAMIC_CONFIG_BASE_URL: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Ran>((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs validator-cli to the end (SIGKILL after `timeoutMs`). */
export async function runCli(args: string[], env: Record<string, string>, opts: { cwd: string; timeoutMs?: number }): Promise<Ran> {
  const s = spawnEntry('src/cli.ts', args, env, opts);
  const timer = setTimeout(() => s.child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  try {
    return await s.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `url` until it answers `status` (default 200) or the child exits. */
export async function waitForHttp(url: string, s: Spawned, timeoutMs = 120_000, status = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null) throw new Error(`process exited (${s.child.exitCode}) before ${url} answered: ${s.output().stderr.slice(-2000)}`);
    try {
      if ((await fetch(url)).status === status) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms: ${s.output().stderr.slice(-2000)}`);
}
