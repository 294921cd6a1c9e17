import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cliContext } from '../support/app';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/postgres';
import { startAnvil, type AnvilNode } from '../collateral/support/anvil';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import { DynamicConfigFetcher } from '../../src/config/dynamic/remote/dynamic-config-fetcher.service';
import { deployProjectMap, type MapContract } from './support/map-contract';
import { runEntry } from '../support/processes';

/** USE_CONTRACT_CONFIG picks the source; the base URL stays the validator's default, as in production. */
const KEEP_DEFAULT_SOURCE = { offlineDynamicConfig: false };

jest.setTimeout(180_000);

/**
 * USE_CONTRACT_CONFIG: the map contract on the subtensor EVM. Here a map contract of our own
 * (test/config/contracts/ProjectMap.sol, same `value(string)` read) on a real EVM node (anvil).
 */
describe('dynamic config from the map contract (anvil)', () => {
  let anvil: AnvilNode;
  let map: MapContract;
  let db: ThrowawayDatabase;
  let ctx: INestApplicationContext;
  let dynamic: DynamicConfigService;
  let fetcher: DynamicConfigFetcher;
  let env: Record<string, string>;

  beforeAll(async () => {
    [anvil, db] = await Promise.all([startAnvil(), createThrowawayDatabase()]);
    map = await deployProjectMap(anvil);
    // What the subnet owner's sync job stores: JSON of the value in effect.
    await map.store('DYNAMIC_BURN_RATE', '0.75');
    await map.store('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
    await map.store('DYNAMIC_WEIGHTS_VERSION', '4');
    await map.store('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', '"spin_up-4min.gpu-24gb=90,always_on.llm.a6000=10"');
    await map.store('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI', '123456789012345678901');
    env = { USE_CONTRACT_CONFIG: 'true', CONFIG_CONTRACT_ADDRESS: map.address, BITTENSOR_NETWORK: anvil.wsUrl };
    ctx = await cliContext({ kind: 'postgres', url: db.url }, env);
    dynamic = ctx.get(DynamicConfigService);
    fetcher = ctx.get(DynamicConfigFetcher);
  });
  afterAll(async () => {
    await ctx?.close();
    await Promise.all([anvil?.stop(), db?.drop()]);
  });

  it('changes the live config within one fetch, over the EVM JSON-RPC of BITTENSOR_NETWORK', async () => {
    expect(await dynamic.entry('DYNAMIC_BURN_RATE')).toMatchObject({ value: 0, source: 'default' });
    const outcome = await fetcher.fetchAndApply();
    expect(outcome).toMatchObject({ state: 'fetched', attempts: 1 });
    const origin = `contract ${map.address}`;
    expect(await dynamic.entry('DYNAMIC_BURN_RATE')).toMatchObject({ value: 0.75, source: 'remote', origin });
    expect(await dynamic.get('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED')).toBe(false);
    expect(await dynamic.get('DYNAMIC_WEIGHTS_VERSION')).toBe(4);
    expect(await dynamic.get('DYNAMIC_EXECUTOR_CLASS_WEIGHTS')).toBe('spin_up-4min.gpu-24gb=90,always_on.llm.a6000=10');
    // beyond 2^53, kept exact (JSON.parse would round it)
    expect(await dynamic.get('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI')).toBe(123456789012345678901n);
    // keys the contract does not hold keep their value
    expect(await dynamic.entry('DYNAMIC_BURN_PARTITION')).toMatchObject({ value: 0, source: 'default' });
  });

  it('refuses a bad contract value (out of range, not JSON) with an event and keeps the previous one', async () => {
    await map.store('DYNAMIC_BURN_RATE', '1.5');
    await map.store('DYNAMIC_BURN_PARTITION', '0.5');
    await map.store('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', 'seven hundred');
    const outcome = await fetcher.fetchAndApply();
    expect(outcome.state === 'fetched' && outcome.report.refused.map((r) => [r.key, r.reason])).toEqual([
      ['DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', 'the stored string is not JSON'],
      ['DYNAMIC_BURN_RATE', '1.5 is out of range >= 0 and <= 1'],
    ]);
    expect(await dynamic.get('DYNAMIC_BURN_RATE')).toBe(0.75);
    expect(await dynamic.get('DYNAMIC_BURN_PARTITION')).toBe(0.5);
    expect(await dynamic.get('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL')).toBe(722);
    const events = (await ctx.get(DataSource).query(
      `SELECT type, subtype, data FROM system_event WHERE data->>'func' = 'fetch_dynamic_config' ORDER BY id`,
    )) as { type: string; subtype: string; data: Record<string, unknown> }[];
    expect(events.map((e) => [e.type, e.subtype, e.data.key, e.data.origin])).toEqual([
      ['VALIDATOR_FAILURE', 'WARNING', 'DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', `contract ${map.address}`],
      ['VALIDATOR_FAILURE', 'WARNING', 'DYNAMIC_BURN_RATE', `contract ${map.address}`],
    ]);
  });

  it('validator-cli fetch-dynamic-config prints what the contract holds; config list shows the remote source', async () => {
    const cliEnv = { DATABASE_URL: db.url, ...env };
    const [fetched, listed] = await Promise.all([runEntry('src/cli.ts', ['fetch-dynamic-config'], cliEnv, KEEP_DEFAULT_SOURCE), runEntry('src/cli.ts', ['config', 'list'], cliEnv, KEEP_DEFAULT_SOURCE)]);
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toContain(`Fetching dynamic config from map contract ${map.address} on the subtensor EVM (ws://127.0.0.1:${anvil.port})`);
    expect(fetched.stdout).toContain('- DYNAMIC_BURN_RATE: 1.5 [type: float] (REFUSED: 1.5 is out of range >= 0 and <= 1)');
    expect(fetched.stdout).toContain('- DYNAMIC_BURN_PARTITION: 0.5 [type: float] (ok)');
    expect(fetched.stdout).toContain('- DYNAMIC_WEIGHTS_VERSION: 4 [type: int] (ok)');
    expect(fetched.stdout).toContain('- DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL: REFUSED: the stored string is not JSON');
    expect(fetched.stdout).toMatch(/not in the contract: .*DYNAMIC_RECEIPT_TRANSFER_ENABLED/);
    expect(listed.code).toBe(0);
    const row = listed.stdout.split('\n').find((l) => l.includes(' DYNAMIC_BURN_PARTITION ')) ?? '';
    expect(row).toMatch(new RegExp(`0\\.5\\s.*remote\\s.*from contract ${map.address}`));
  });

  it('says so, and exits 1, when the contract cannot be reached', async () => {
    const res = await runEntry('src/cli.ts', ['fetch-dynamic-config'], { DATABASE_URL: db.url, ...env, BITTENSOR_NETWORK: '127.0.0.1:9' }, KEEP_DEFAULT_SOURCE);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Failed to fetch dynamic config: contract ${map.address}: Failed to connect to RPC node at ws://127.0.0.1:9`);
  });
});
