import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Runs an entry point (src/main.ts or src/cli.ts) in a child process, without blocking the event loop. */
function run(entry: string, args: string[], env: Record<string, string>, timeoutMs = 60000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', entry, ...args], {
      cwd: mkdtempSync(join(tmpdir(), 'chv-proc-')),
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), NODE_PATH: join(ROOT, 'node_modules'), LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

describe('process entry points', () => {
  it('refuses to start with a malformed variable: one line per problem, exit code 1', async () => {
    const { code, stderr } = await run(join(ROOT, 'src/main.ts'), [], { HTTP_PORT: 'abc', AWS_SECRET_ACCESS_KEY: 'do-not-print-me', BITTENSOR_NETUID: '-3' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('  HTTP_PORT: expected an integer port 1-65535');
    expect(stderr).toContain('  BITTENSOR_NETUID: expected an integer subnet id 0-65535');
    expect(stderr).not.toContain('do-not-print-me');
  });

  it('validator-cli --help lists the commands and exits 0', async () => {
    const { code, stdout } = await run(join(ROOT, 'src/cli.ts'), ['--help'], {});
    expect(code).toBe(0);
    expect(stdout).toContain('config');
  });
});
