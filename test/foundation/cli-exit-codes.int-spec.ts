import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { Ran, runCli } from '../support/processes';
import { mapLimit } from '../../src/common/map-limit';

jest.setTimeout(400_000);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}


/**
 * Every one-shot validator-cli command exits non-zero when it cannot do its job, with one line that
 * names what to fix, no stack trace and no secret. The chain and the facilitator are unreachable,
 * there is no wallet, no S3 and no trusted miner.
 */
describe('validator-cli exit codes on failure', () => {
  let db: ThrowawayDatabase;
  let env: Record<string, string>;
  const cwd = mkdtempSync(join(tmpdir(), 'chv-exit-codes-'));
  const results = new Map<string, Ran>();

  const cases: { name: string; args: string[]; expect: RegExp; env?: Record<string, string> }[] = [
    { name: 'config get (unknown key)', args: ['config', 'get', 'NOT_A_KEY'], expect: /unknown dynamic config key NOT_A_KEY/ },
    { name: 'config set (bad value)', args: ['config', 'set', 'DYNAMIC_BURN_RATE', 'lots'], expect: /DYNAMIC_BURN_RATE: expected a finite number >= 0 and <= 1/ },
    { name: 'config unset (unknown key)', args: ['config', 'unset', 'NOT_A_KEY'], expect: /unknown dynamic config key NOT_A_KEY/ },
    { name: 'sync-metagraph', args: ['sync-metagraph'], expect: /is not reachable .*check BITTENSOR_NETWORK/ },
    { name: 'debug-run-synthetic-jobs', args: ['debug-run-synthetic-jobs'], expect: /command failed with exception: subtensor at .* is not reachable/ },
    { name: 'debug-run-synthetic-job-to-miner', args: ['debug-run-synthetic-job-to-miner', '--miner-hotkey', '5NotAMiner'], expect: /Miner with hotkey 5NotAMiner not found/ },
    { name: 'debug-set-scores', args: ['debug-set-scores'], expect: /set_scores: chain-unavailable|not reachable/ },
    { name: 'check-s3-setup', args: ['check-s3-setup'], expect: /provide AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/ },
    { name: 'debug-run-llm-prompt-task', args: ['debug-run-llm-prompt-task', '--action', 'generation'], expect: /"ran":false/ },
    { name: 'debug-run-organic-job', args: ['debug-run-organic-job', '--docker-image', 'x'], expect: /--timeout is required/ },
    { name: 'validator-whitelist', args: ['validator-whitelist', 'add', 'not-ss58'], expect: /not-ss58 is not a valid ss58 address/ },
    { name: 'transfer-receipts (every miner unreachable)', args: ['transfer-receipts'], expect: /stored 0 receipts; 0 bad lines; [1-9]\d* failed page transfers/, env: { DEBUG_FETCH_RECEIPTS_FROM_MINERS: 'RECEIPTS_MINER' } },
    { name: 'sync-collaterals', args: ['sync-collaterals'], expect: /collateral sync (failed|skipped)|not reachable/ },
    { name: 'evict-old-data (database gone)', args: ['evict-old-data'], expect: /cannot connect to PostgreSQL .*check DATABASE_URL/, env: { DATABASE_URL: 'postgres://postgres:s3cret-pw@127.0.0.1:1/nothing' } },
    { name: 'devnet (no chain spec)', args: ['devnet', '--miners', '1'], expect: /CHAIN_SPEC points to \/nonexistent\/raonet.json, which does not exist/, env: { CHAIN_SPEC: '/nonexistent/raonet.json' } },
    { name: 'devnet-chain (no chain spec)', args: ['devnet-chain'], expect: /CHAIN_SPEC points to \/nonexistent\/raonet.json, which does not exist/, env: { CHAIN_SPEC: '/nonexistent/raonet.json' } },
    { name: 'devnet-facilitator (no validator)', args: ['devnet-facilitator'], expect: /--validator <ss58> is required/ },
    { name: 'unknown command', args: ['no-such-command'], expect: /unknown command 'no-such-command'/ },
    { name: 'unknown option', args: ['sync-metagraph', '--no-such-option'], expect: /unknown option '--no-such-option'/ },
    { name: 'no command', args: [], expect: /Usage: validator-cli <command>/ },
  ];

  beforeAll(async () => {
    db = await createThrowawayDatabase();
    const chain = `ws://127.0.0.1:${await closedPort()}`;
    env = {
      DATABASE_URL: db.url,
      BITTENSOR_NETWORK: chain,
      BITTENSOR_WALLET_DIRECTORY: join(cwd, 'no-wallets'),
      FACILITATOR_URI: `ws://127.0.0.1:${await closedPort()}/`,
      AWS_SECRET_ACCESS_KEY: '',
    };
    // the first run migrates the database; the others then start together
    results.set(cases[0].name, await runCli(cases[0].args, env, { cwd }));
    const minerPort = await closedPort();
    const withMiner = (e: Record<string, string> = {}) =>
      Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === 'RECEIPTS_MINER' ? `5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY:127.0.0.1:${minerPort}` : v]));
    // At most 4 at once: each CLI run is a ts-node process.
    const rest = await mapLimit(cases.slice(1), 4, (c) => runCli(c.args, { ...env, ...withMiner(c.env) }, { cwd, timeoutMs: 180_000 }));
    cases.slice(1).forEach((c, i) => results.set(c.name, rest[i]));
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s exits non-zero with a clear line and no stack trace', (_name, c) => {
    const r = results.get(c.name)!;
    const all = `${r.stdout}${r.stderr}`;
    expect(all).toMatch(c.expect);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(all).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(all).not.toContain('s3cret-pw');
  });
});
