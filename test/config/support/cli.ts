import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry point (src/main.ts or src/cli.ts) through ts-node in a child process, in `cwd` (default: an empty folder). */
export function runEntry(entry: 'main' | 'cli', args: string[], env: Record<string, string>, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', `${entry}.ts`), ...args], {
      cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'chv-config-')),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), NODE_PATH: join(ROOT, 'node_modules'), LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
