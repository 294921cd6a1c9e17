import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getAddress, parseEventLogs, zeroAddress, type Address } from 'viem';
import { anvilRpc, startAnvil, type AnvilNode } from './support/anvil';
import { anvilAccount, anvilPrivateKeyHex, compileProjectCollateral, deployCollateral, testClients } from './support/contract';
import { collateralContext, InstantClock } from './support/collateral-app';
import { StaticChainReader } from './support/static-chain-reader';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/postgres';
import { Miner } from '../../src/miners/registry/miner.entity';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import { CollateralGate } from '../../src/organic-jobs/routing/collateral-gate';
import { CollateralSyncService } from '../../src/collateral/sync/collateral-sync.service';
import { CollateralSlashingService, urlContentMd5 } from '../../src/collateral/slashing/collateral-slashing.service';
import { CollateralSlash } from '../../src/collateral/slashing/collateral-slash.entity';
import { OrganicJob } from '../../src/organic-jobs/persistence/organic-job.entity';
import { NotEnoughCollateralException } from '../../src/collateral/gate/not-enough-collateral.exception';
import { ContractCollateralGate } from '../../src/collateral/gate/contract-collateral-gate';
import { SyncCollateralsCommand } from '../../src/collateral/commands/sync-collaterals.command';
import { COLLATERAL_ABI } from '../../src/collateral/evm/collateral-abi';
import { EvmConnection } from '../../src/collateral/evm/evm-connection';

const NETUID = 12;
const MILLI_TAO = 10n ** 15n; // 0.001 TAO in wei
const THRESHOLD = 10n * MILLI_TAO; // the default DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI (0.01 TAO)
const SLASH = 5n * MILLI_TAO; // the default DYNAMIC_COLLATERAL_SLASH_AMOUNT_WEI

const deployer = anvilAccount(0);
const trustee = anvilAccount(1);
const minerAccounts = [anvilAccount(2), anvilAccount(3), anvilAccount(4), anvilAccount(5)];
const stranger = anvilAccount(6);
// uid -> (hotkey, deposit). uid 0 is a miner here too: the reference never synced uid 0.
const MINERS = [
  { uid: 0, hotkey: 'hk-uid0', deposit: 20n * MILLI_TAO },
  { uid: 1, hotkey: 'hk-uid1', deposit: THRESHOLD },
  { uid: 2, hotkey: 'hk-uid2', deposit: THRESHOLD - MILLI_TAO },
  { uid: 3, hotkey: 'hk-uid3', deposit: 7n * MILLI_TAO },
];

describe('collateral against a real EVM node (anvil) and PostgreSQL', () => {
  let anvil: AnvilNode;
  let db: ThrowawayDatabase;
  let wallets: string;
  let app: INestApplicationContext;
  let clock: InstantClock;
  let chain: StaticChainReader;
  let contract: Address;
  let dataSource: DataSource;
  const clients = () => testClients(anvil);

  const writeKeyFile = (privateKeyHex: string | null) => {
    const dir = join(wallets, 'validator', 'h160');
    mkdirSync(dir, { recursive: true });
    if (privateKeyHex === null) rmSync(join(dir, 'default'), { force: true });
    else writeFileSync(join(dir, 'default'), JSON.stringify({ address: '0x', private_key: privateKeyHex, public_key: '0x' }));
  };
  const onChainCollateral = (account: Address) =>
    clients().publicClient.readContract({ address: contract, abi: COLLATERAL_ABI, functionName: 'collaterals', args: [account] });
  const minerRow = (hotkey: string) => dataSource.getRepository(Miner).findOneByOrFail({ hotkey });
  const slashEvents = async () => (await dataSource.getRepository(SystemEvent).find({ where: { type: 'COLLATERAL_SLASHING' }, order: { id: 'ASC' } }));

  beforeAll(async () => {
    [anvil, db] = await Promise.all([startAnvil({ chainId: 945 }), createThrowawayDatabase('chv_collateral')]);
    compileProjectCollateral();
    contract = await deployCollateral(anvil, { deployer, netuid: NETUID, trustee: trustee.address, minCollateralIncrease: MILLI_TAO, decisionTimeout: 3600n });
    const { publicClient, wallet } = clients();
    for (const [i, m] of MINERS.entries()) {
      const hash = await wallet(minerAccounts[i]).writeContract({ address: contract, abi: COLLATERAL_ABI, functionName: 'deposit', value: m.deposit, chain: null });
      await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    }
    wallets = mkdtempSync(join(tmpdir(), 'collateral-wallets-'));
    writeKeyFile(anvilPrivateKeyHex(1));
    chain = new StaticChainReader(() => publicClient.getBlockNumber({ cacheTime: 0 }));
    MINERS.forEach((m) => chain.hotkeyByUid.set(m.uid, m.hotkey));
    // uid 3 has deposited but its hotkey has no association on the chain.
    MINERS.slice(0, 3).forEach((m, i) => chain.associations.set(m.uid, minerAccounts[i].address.toLowerCase()));
    clock = new InstantClock();
    ({ app } = await collateralContext({
      databaseUrl: db.url,
      chain,
      clock,
      env: {
        BITTENSOR_NETUID: String(NETUID),
        BITTENSOR_NETWORK: 'ws://127.0.0.1:1',
        BITTENSOR_EVM_RPC_URL: anvil.wsUrl,
        BITTENSOR_WALLET_DIRECTORY: wallets,
        BITTENSOR_WALLET_NAME: 'validator',
        BITTENSOR_WALLET_HOTKEY_NAME: 'default',
      },
    }));
    dataSource = app.get(DataSource);
    const repo = dataSource.getRepository(Miner);
    for (const m of MINERS) await repo.save(repo.create({ hotkey: m.hotkey, uid: m.uid }));
    // Left the metagraph, with an address and a balance from an earlier sync.
    await repo.save(repo.create({ hotkey: 'hk-departed', uid: 9, evmAddress: stranger.address.toLowerCase(), collateralWei: 50n * MILLI_TAO }));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await anvil?.stop();
    await db?.drop();
    if (wallets) rmSync(wallets, { recursive: true, force: true });
  });

  it('without a contract in the commitment, collateral is off: amounts 0, routing unaffected', async () => {
    const report = await app.get(CollateralSyncService).sync();
    expect(report).toMatchObject({ ran: true, ok: true, contract: null });
    expect((await minerRow('hk-uid0')).evmAddress).toBe(minerAccounts[0].address.toLowerCase());
    expect((await minerRow('hk-uid0')).collateralWei).toBe(0n);
    expect(await minerRow('hk-departed')).toMatchObject({ evmAddress: null, collateralWei: 0n });
    if (report.ran && report.ok) expect(report.miners.find((m) => m.hotkey === 'hk-departed')?.status).toBe('left metagraph');
    const gate = app.get(CollateralGate);
    expect(await gate.filterMiners(['hk-uid2', 'hk-uid3'])).toEqual({ eligible: ['hk-uid2', 'hk-uid3'], threshold: null });
  });

  it('syncs each miner deposit from collaterals(address), uid 0 included; stale balances are reset', async () => {
    chain.commitment = new TextEncoder().encode(JSON.stringify({ contract: { address: contract.toLowerCase() } }).replace(/":/g, '": '));
    const report = await app.get(CollateralSyncService).sync();
    if (!report.ran || !report.ok) throw new Error(JSON.stringify(report));
    expect(report.contract).toBe(getAddress(contract));
    expect(report.failures).toBe(0);
    expect(report.trustee).toEqual({ address: trustee.address, matchesKey: true });
    expect(chain.associationReads.at(-1)?.netuid).toBe(NETUID);
    for (const [i, m] of MINERS.slice(0, 3).entries()) {
      const row = await minerRow(m.hotkey);
      expect(row.evmAddress).toBe(minerAccounts[i].address.toLowerCase());
      expect(row.collateralWei).toBe(m.deposit);
      expect(row.collateralWei).toBe(await onChainCollateral(minerAccounts[i].address));
    }
    expect(await minerRow('hk-uid3')).toMatchObject({ evmAddress: null, collateralWei: 0n });
    expect(report.miners.map((m) => [m.hotkey, m.status])).toEqual([
      ['hk-uid0', 'synced'],
      ['hk-uid1', 'synced'],
      ['hk-uid2', 'synced'],
      ['hk-uid3', 'no association'],
    ]);
  });

  it('validator-cli sync-collaterals prints a table of what it stored', async () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await new SyncCollateralsCommand(app.get(CollateralSyncService)).run();
    } finally {
      spy.mockRestore();
    }
    const text = out.join('');
    expect(text).toMatch(/uid.*hotkey.*evm address.*collateral \(wei\).*status/);
    expect(text).toContain(`${minerAccounts[0].address.toLowerCase()}`);
    expect(text).toContain('20000000000000000');
    expect(text).toContain(`contract ${getAddress(contract)}`);
    expect(text).toContain(`trustee ${trustee.address} (this validator's H160 key)`);
  });

  it('routing keeps only miners with collateral >= the minimum (inclusive), and refuses when none has it', async () => {
    const gate = app.get(CollateralGate);
    expect(await gate.filterMiners(['hk-uid0', 'hk-uid1', 'hk-uid2', 'hk-uid3'])).toEqual({ eligible: ['hk-uid0', 'hk-uid1'], threshold: THRESHOLD });
    const refused = gate.filterMiners(['hk-uid2', 'hk-uid3']);
    await expect(refused).rejects.toBeInstanceOf(NotEnoughCollateralException);
    await expect(refused).rejects.toMatchObject({ name: 'NotEnoughCollateralException' });
    await app.get(DynamicConfigService).set('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI', '0');
    expect(await gate.filterMiners(['hk-uid2', 'hk-uid3'])).toEqual({ eligible: ['hk-uid2', 'hk-uid3'], threshold: 0n });
    await app.get(DynamicConfigService).unset('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI');
  });

  it('§11.1 items 1 and 10: the threshold is inclusive over stored amounts', async () => {
    const repo = dataSource.getRepository(Miner);
    const rows = [['v-hk1', 500n], ['v-hk2', 999n], ['v-hk3', 1000n], ['v-hk4', 2000n]] as const;
    for (const [hotkey, collateralWei] of rows) await repo.save(repo.create({ hotkey, collateralWei }));
    const gate = app.get(ContractCollateralGate);
    try {
      const sufficient = await gate.minersWithSufficientCollateral(1000n);
      expect([...sufficient].filter((h) => h.startsWith('v-')).sort()).toEqual(['v-hk3', 'v-hk4']);
      await app.get(DynamicConfigService).set('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI', '1000');
      await expect(gate.filterMiners(['v-hk1', 'v-hk2'])).rejects.toBeInstanceOf(NotEnoughCollateralException);
      await app.get(DynamicConfigService).set('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI', '10');
      expect(await gate.filterMiners(['v-hk1'])).toEqual({ eligible: ['v-hk1'], threshold: 10n });
    } finally {
      await app.get(DynamicConfigService).unset('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI');
      await repo.delete(rows.map(([hotkey]) => ({ hotkey })));
    }
  });

  it('slashes a cheated job from the trustee key: Slashed event, balance reduced, amount burned; never twice', async () => {
    const jobUuid = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    const contractBalanceBefore = await clients().publicClient.getBalance({ address: contract });
    const burnedBefore = await clients().publicClient.getBalance({ address: zeroAddress });
    const jobs = dataSource.getRepository(OrganicJob);
    await jobs.insert({ jobUuid, minerId: (await minerRow('hk-uid0')).id, minerAddress: '127.0.0.1', minerAddressIpVersion: 4, minerPort: 1, status: 'COMPLETED', cheated: true });
    const outcome = await app.get(CollateralSlashingService).slashForCheatedJob({ jobUuid, minerHotkey: 'hk-uid0', details: '{"reason":"wrong hash"}' });
    expect(outcome).toMatchObject({ state: 'succeeded', alreadyHandled: false });
    // the organic job carries the slash, as in the reference (TV-15)
    const job = await jobs.findOneByOrFail({ jobUuid });
    expect(job.slashed).toBe(true);
    expect(job.slashedAt).toEqual((await dataSource.getRepository(CollateralSlash).findOneByOrFail({ jobUuid })).slashedAt);

    expect(await onChainCollateral(minerAccounts[0].address)).toBe(MINERS[0].deposit - SLASH);
    // Burned: the value left the contract for address(0) (which is also anvil's fee recipient).
    expect(contractBalanceBefore - (await clients().publicClient.getBalance({ address: contract }))).toBe(SLASH);
    expect((await clients().publicClient.getBalance({ address: zeroAddress })) - burnedBefore).toBeGreaterThanOrEqual(SLASH);
    const receipt = await clients().publicClient.getTransactionReceipt({ hash: outcome.txHash as `0x${string}` });
    expect(receipt.from.toLowerCase()).toBe(trustee.address.toLowerCase());
    const tx = await clients().publicClient.getTransaction({ hash: outcome.txHash as `0x${string}` });
    expect(tx).toMatchObject({ type: 'legacy', gas: 200_000n, value: 0n, chainId: 945 });
    const [slashed] = parseEventLogs({ abi: COLLATERAL_ABI, logs: receipt.logs, eventName: 'Slashed' });
    expect(slashed.args).toEqual({ account: minerAccounts[0].address, amount: SLASH, url: `job ${jobUuid} cheated`, urlContentMd5Checksum: '0x00000000000000000000000000000000' });

    const again = await app.get(CollateralSlashingService).slashForCheatedJob({ jobUuid, minerHotkey: 'hk-uid0', details: 'again' });
    expect(again).toMatchObject({ state: 'succeeded', alreadyHandled: true, txHash: outcome.txHash });
    expect(await onChainCollateral(minerAccounts[0].address)).toBe(MINERS[0].deposit - SLASH);
    const logs = await clients().publicClient.getContractEvents({ address: contract, abi: COLLATERAL_ABI, eventName: 'Slashed', fromBlock: 0n });
    expect(logs).toHaveLength(1);

    const events = await slashEvents();
    expect(events.at(-1)).toMatchObject({ subtype: 'SUCCESS', data: { job_uuid: jobUuid, miner_hotkey: 'hk-uid0', amount_wei: SLASH.toString(), tx_hash: outcome.txHash } });
    expect(await dataSource.getRepository(CollateralSlash).findOneByOrFail({ jobUuid })).toMatchObject({ state: 'succeeded', attempts: 1, amountWei: SLASH });

    // The next sync picks up the reduced balance.
    await app.get(CollateralSyncService).sync();
    expect((await minerRow('hk-uid0')).collateralWei).toBe(MINERS[0].deposit - SLASH);
  });

  it('a slash above the deposit fails on chain and is recorded as insufficient collateral', async () => {
    await app.get(DynamicConfigService).set('DYNAMIC_COLLATERAL_SLASH_AMOUNT_WEI', String(MINERS[2].deposit + 1n));
    try {
      const outcome = await app.get(CollateralSlashingService).slashForCheatedJob({ jobUuid: 'job-insufficient', minerHotkey: 'hk-uid2', details: '' });
      expect(outcome).toMatchObject({ state: 'failed', reason: 'insufficient_collateral' });
      const receipt = await clients().publicClient.getTransactionReceipt({ hash: outcome.txHash as `0x${string}` });
      expect(receipt.status).toBe('reverted');
    } finally {
      await app.get(DynamicConfigService).unset('DYNAMIC_COLLATERAL_SLASH_AMOUNT_WEI');
    }
    expect(await onChainCollateral(minerAccounts[2].address)).toBe(MINERS[2].deposit);
    expect((await slashEvents()).at(-1)).toMatchObject({
      subtype: 'FAILURE',
      longDescription: 'Failed to slash collateral: collateral slashing transaction failed (InsufficientAmount)',
      data: { job_uuid: 'job-insufficient', reason: 'insufficient_collateral', contract_error: 'InsufficientAmount' },
    });
  });

  it('a key that is not the contract trustee: failed, reason not_trustee, nothing slashed', async () => {
    writeKeyFile(`0x${anvilPrivateKeyHex(6)}`);
    try {
      const outcome = await app.get(CollateralSlashingService).slashForCheatedJob({ jobUuid: 'job-not-trustee', minerHotkey: 'hk-uid1', details: '' });
      expect(outcome).toMatchObject({ state: 'failed', reason: 'not_trustee' });
    } finally {
      writeKeyFile(anvilPrivateKeyHex(1));
    }
    expect(await onChainCollateral(minerAccounts[1].address)).toBe(MINERS[1].deposit);
    expect((await slashEvents()).at(-1)).toMatchObject({ subtype: 'FAILURE', data: { reason: 'not_trustee', contract_error: 'NotTrustee' } });
  });

  it.each([
    ['no key file', 'hk-uid1', 'EVM private key not found', 'no_evm_key'],
    ['unknown miner', 'hk-nobody', 'Miner hk-nobody not found', 'miner_not_found'],
    ['miner without EVM address', 'hk-uid3', 'Miner hk-uid3 has no associated EVM address', 'no_evm_address'],
  ])('%s: not retried, recorded with the reference message', async (label, hotkey, message, reason) => {
    if (label === 'no key file') writeKeyFile(null);
    try {
      const jobUuid = `job-${reason}`;
      const outcome = await app.get(CollateralSlashingService).slashForCheatedJob({ jobUuid, minerHotkey: hotkey, details: '' });
      expect(outcome).toMatchObject({ state: 'failed', reason });
      expect(await dataSource.getRepository(CollateralSlash).findOneByOrFail({ jobUuid })).toMatchObject({ attempts: 1, failureReason: reason, lastError: message });
      expect((await slashEvents()).at(-1)).toMatchObject({ subtype: 'FAILURE', longDescription: `Failed to slash collateral: ${message}` });
    } finally {
      writeKeyFile(anvilPrivateKeyHex(1));
    }
  });

  it('one failing collaterals() read: event with the miner, its previous amount kept (same address) or reset (new address)', async () => {
    const failFor = new Set([minerAccounts[1].address.toLowerCase(), minerAccounts[3].address.toLowerCase()]);
    const real = EvmConnection.prototype.readCollateral;
    const spy = jest.spyOn(EvmConnection.prototype, 'readCollateral').mockImplementation(function (this: EvmConnection, c, address, block) {
      if (failFor.has(address.toLowerCase())) return Promise.reject(new Error('execution reverted: injected'));
      return real.call(this, c, address, block);
    });
    chain.associations.set(2, minerAccounts[3].address.toLowerCase()); // uid 2 re-associated to a new address
    try {
      const report = await app.get(CollateralSyncService).sync();
      expect(report).toMatchObject({ ran: true, ok: true, failures: 2 });
    } finally {
      spy.mockRestore();
      chain.associations.set(2, minerAccounts[2].address.toLowerCase());
    }
    expect(await minerRow('hk-uid1')).toMatchObject({ evmAddress: minerAccounts[1].address.toLowerCase(), collateralWei: MINERS[1].deposit });
    expect(await minerRow('hk-uid2')).toMatchObject({ evmAddress: minerAccounts[3].address.toLowerCase(), collateralWei: 0n });
    const failures = await dataSource.getRepository(SystemEvent).find({ where: { type: 'COLLATERAL_SYNCING', subtype: 'GETTING_MINER_COLLATERAL_FAILED' }, order: { id: 'ASC' } });
    expect(failures.map((e) => e.data.miner_hotkey).sort()).toEqual(['hk-uid1', 'hk-uid2']);
    expect(failures[0].longDescription).toBe('Error while fetching miner collateral: execution reverted: injected');
    expect(failures[0].data).toMatchObject({ block: expect.any(String), evm_address: expect.stringMatching(/^0x[0-9a-f]{40}$/) });
    await app.get(CollateralSyncService).sync();
    expect((await minerRow('hk-uid2')).collateralWei).toBe(MINERS[2].deposit);
  });

  it('no receipt in 300 s: the sent slash is kept, never re-sent, and settled later from its hash', async () => {
    const jobUuid = 'job-slow-receipt';
    await anvilRpc(anvil.httpUrl, 'evm_setAutomine', [false]);
    let outcome;
    try {
      outcome = await app.get(CollateralSlashingService).slashForCheatedJob({ jobUuid, minerHotkey: 'hk-uid1', details: '' });
      expect(outcome).toMatchObject({ state: 'sent', reason: 'receipt_timeout' });
      expect((await slashEvents()).at(-1)).toMatchObject({ subtype: 'FAILURE', data: { job_uuid: jobUuid, reason: 'receipt_timeout', tx_hash: outcome.txHash } });
      const again = await app.get(CollateralSlashingService).slashForCheatedJob({ jobUuid, minerHotkey: 'hk-uid1', details: '' });
      expect(again).toMatchObject({ state: 'sent', alreadyHandled: true, txHash: outcome.txHash });
      const pending = (await anvilRpc(anvil.httpUrl, 'eth_getBlockByNumber', ['pending', false])) as { transactions: string[] };
      expect(pending.transactions).toEqual([outcome.txHash]);
    } finally {
      await anvilRpc(anvil.httpUrl, 'evm_setAutomine', [true]);
    }
    await anvilRpc(anvil.httpUrl, 'evm_mine', []);
    const settled = await app.get(CollateralSlashingService).resumeUnfinished();
    expect(settled).toEqual([expect.objectContaining({ jobUuid, state: 'succeeded', txHash: outcome.txHash })]);
    expect(await onChainCollateral(minerAccounts[1].address)).toBe(MINERS[1].deposit - SLASH);
    expect((await slashEvents()).at(-1)).toMatchObject({ subtype: 'SUCCESS', data: { job_uuid: jobUuid, tx_hash: outcome.txHash } });
  });

  it('an HTTP BITTENSOR_EVM_RPC_URL works like the WebSocket endpoint', async () => {
    const connection = await EvmConnection.open(anvil.httpUrl);
    try {
      expect(connection.clientVersion).toMatch(/anvil/i);
      expect(await connection.readCollateral(contract, minerAccounts[2].address, await connection.blockNumber())).toBe(MINERS[2].deposit);
    } finally {
      await connection.close();
    }
  });

  it('§11.1 item 2: an http(s) URL is fetched once and its body MD5 goes into the slash', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      res.end(req.url === '/proof' ? 'evidence-bytes' : '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await urlContentMd5(`http://127.0.0.1:${port}/proof`)).toBe('0x4e634bf15a783162963a5ae51d35670b');
      expect(requests).toBe(1);
      expect(await urlContentMd5('job 3fa85f64-5717-4562-b3fc-2c963f66afa6 cheated')).toBe('0x00000000000000000000000000000000');
      expect(requests).toBe(1);
    } finally {
      server.close();
    }
    await expect(urlContentMd5(`http://127.0.0.1:${port}/gone`)).rejects.toMatchObject({ reason: 'url_fetch_failed' });
  });

  it('RPC down: retried after 2, 4, 8, 16, 32 s, then given up; the job is never slashed', async () => {
    await anvil.stop();
    clock.sleeps.length = 0;
    const outcome = await app.get(CollateralSlashingService).slashForCheatedJob({ jobUuid: 'job-rpc-down', minerHotkey: 'hk-uid1', details: '' });
    expect(outcome).toMatchObject({ state: 'failed', reason: 'rpc_unavailable' });
    expect(clock.sleeps).toEqual([2000, 4000, 8000, 16000, 32000]);
    expect(await dataSource.getRepository(CollateralSlash).findOneByOrFail({ jobUuid: 'job-rpc-down' })).toMatchObject({ state: 'failed', attempts: 6 });
    const last = (await slashEvents()).at(-1)!;
    expect(last).toMatchObject({ subtype: 'GIVING_UP', data: { reason: 'rpc_unavailable', attempts: 6 } });
    expect(last.longDescription).toMatch(/^Max retries reached: Failed to connect to RPC node at ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('RPC down during sync: balances kept, the failure recorded', async () => {
    const before = (await minerRow('hk-uid1')).collateralWei;
    const report = await app.get(CollateralSyncService).sync();
    expect(report).toMatchObject({ ran: true, ok: true });
    expect((await minerRow('hk-uid1')).collateralWei).toBe(before);
    const failure = await dataSource.getRepository(SystemEvent).findOne({ where: { type: 'COLLATERAL_SYNCING', subtype: 'FAILURE' }, order: { id: 'DESC' } });
    expect(failure?.longDescription).toMatch(/EVM endpoint unavailable for collateral sync: Failed to connect to RPC node/);
  });
});
