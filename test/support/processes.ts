import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

export type Entry = 'src/main.ts' | 'src/cli.ts';

export interface EntryOptions {
  /** Working folder (it may hold a .env). Default: a new empty temp folder. */
  cwd?: string;
  /**
   * Default true: DYNAMIC_CONFIG_BASE_URL is empty unless `env` names a source, so the subnet owner's
   * live values never change results. False leaves the validator's default source in place.
   */
  offlineDynamicConfig?: boolean;
}

/**
 * Starts an entry point of the project (src/main.ts, src/cli.ts) through ts-node in a child process,
 * with a clean environment plus `env` (never the developer's .env: the cwd is given or a temp folder).
 * Non-blocking: the in-process chain keeps running while it does. The one spawn helper of the test suites.
 */
export function spawnEntry(entry: Entry, args: string[], env: Record<string, string>, opts: EntryOptions = {}): Spawned {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), NODE_PATH: join(ROOT, 'node_modules'), LOG_LEVEL: 'warn' };
  if (opts.offlineDynamicConfig ?? true) base.DYNAMIC_CONFIG_BASE_URL = '';
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, entry), ...args], {
    cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'chv-run-')),
    env: { ...base, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Ran>((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs an entry point to the end (SIGKILL after `timeoutMs`, default 120 s). */
export async function runEntry(entry: Entry, args: string[], env: Record<string, string>, opts: EntryOptions & { timeoutMs?: number } = {}): Promise<Ran> {
  const s = spawnEntry(entry, args, env, opts);
  const timer = setTimeout(() => s.child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  try {
    return await s.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs validator-cli to the end (SIGKILL after `timeoutMs`, default 120 s). */
export function runCli(args: string[], env: Record<string, string>, opts: EntryOptions & { timeoutMs?: number } = {}): Promise<Ran> {
  return runEntry('src/cli.ts', args, env, opts);
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
