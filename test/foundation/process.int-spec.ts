import { runEntry, type Entry, type Ran } from '../support/processes';

/** The entry points as `validator-cli` and the daemon run them (the validator's default dynamic-config source kept). */
function run(entry: Entry, args: string[], env: Record<string, string>, timeoutMs = 60000): Promise<Ran> {
  return runEntry(entry, args, env, { timeoutMs, offlineDynamicConfig: false });
}

describe('process entry points', () => {
  it('refuses to start with a malformed variable: one line per problem, exit code 1', async () => {
    const { code, stderr } = await run('src/main.ts', [], { HTTP_PORT: 'abc', AWS_SECRET_ACCESS_KEY: 'do-not-print-me', BITTENSOR_NETUID: '-3' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('  HTTP_PORT: expected an integer port 1-65535');
    expect(stderr).toContain('  BITTENSOR_NETUID: expected an integer subnet id 0-65535');
    expect(stderr).not.toContain('do-not-print-me');
  });

  it('validator-cli --help lists the commands and exits 0', async () => {
    const { code, stdout } = await run('src/cli.ts', ['--help'], {});
    expect(code).toBe(0);
    expect(stdout).toContain('config');
  });
});
