import type { INestApplicationContext } from '@nestjs/common';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { DataSource } from 'typeorm';
import { getAddress, type Address } from 'viem';
import { LocalChain } from '../../src/devnet/chain/local-chain';
import { PolkadotCollateralChainReader } from '../../src/collateral/chain/collateral-chain-reader';
import { associationKey, encodeAssociationValue } from '../../src/collateral/chain/association-storage';
import { CollateralContractDiscovery } from '../../src/collateral/discovery/contract-discovery.service';
import { CollateralSyncService } from '../../src/collateral/sync/collateral-sync.service';
import { CollateralGate } from '../../src/organic-jobs/routing/collateral-gate';
import { Miner } from '../../src/miners/registry/miner.entity';
import { startAnvil, type AnvilNode } from './support/anvil';
import { anvilAccount, deployCollateral, testClients } from './support/contract';
import { collateralContext } from './support/collateral-app';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/postgres';
import { COLLATERAL_ABI } from '../../src/collateral/evm/collateral-abi';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devnetSeed } from '../../src/devnet/chain/local-chain';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { ContractCollateralGate } from '../../src/collateral/gate/contract-collateral-gate';
import { SyncCollateralsCommand } from '../../src/collateral/commands/sync-collaterals.command';
import { cliContext } from '../support/app';

jest.setTimeout(180_000);

const MILLI_TAO = 10n ** 15n;

/**
 * Chain-side discovery on the local subtensor runtime (293 by default, DEVNET_RUNTIME=218 for the older): the validator's own commitment
 * is set with a real `commitments.setCommitment` extrinsic and read back through the metadata.
 * Spec 218 predates `SubtensorModule.AssociatedEvmAddress`, so associations are written as raw
 * storage in the real layout and read by prefix iteration. EVM side: the project's contract on anvil.
 */
describe('collateral discovery and sync on the local subtensor runtime', () => {
  let chain: LocalChain;
  let anvil: AnvilNode;
  let db: ThrowawayDatabase;
  let app: INestApplicationContext;
  let contract: Address;
  let reader: PolkadotCollateralChainReader;

  beforeAll(async () => {
    [chain, anvil, db] = await Promise.all([LocalChain.start({ miners: 2 }), startAnvil(), createThrowawayDatabase('chv_collateral_chain')]);
    reader = new PolkadotCollateralChainReader(async () => chain.api);
    contract = await deployCollateral(anvil, { deployer: anvilAccount(0), netuid: chain.netuid, trustee: anvilAccount(1).address, minCollateralIncrease: MILLI_TAO, decisionTimeout: 3600n });
    const { publicClient, wallet } = testClients(anvil);
    for (const [i, amount] of [12n * MILLI_TAO, 3n * MILLI_TAO].entries()) {
      const hash = await wallet(anvilAccount(2 + i)).writeContract({ address: contract, abi: COLLATERAL_ABI, functionName: 'deposit', value: amount, chain: null });
      await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    }
    ({ app } = await collateralContext({
      databaseUrl: db.url,
      chain: reader,
      validatorPair: chain.validator,
      env: { BITTENSOR_NETUID: String(chain.netuid), BITTENSOR_NETWORK: chain.wsUrl, BITTENSOR_EVM_RPC_URL: anvil.wsUrl },
    }));
    const repo = app.get(DataSource).getRepository(Miner);
    await repo.save(repo.create({ hotkey: chain.validator.address, uid: 0 }));
    for (const m of chain.miners) await repo.save(repo.create({ hotkey: m.hotkey.address, uid: m.uid }));
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([chain?.stop(), anvil?.stop()]);
    await db?.drop();
  });

  it('reads the metagraph hotkeys by uid at the head block', async () => {
    const snapshot = await reader.snapshot(chain.netuid);
    expect(snapshot.hotkeyByUid.get(0)).toBe(chain.validator.address);
    for (const m of chain.miners) expect(snapshot.hotkeyByUid.get(m.uid)).toBe(m.hotkey.address);
    expect(snapshot.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('no commitment: no contract, collateral off, routing unaffected', async () => {
    expect(await reader.commitmentBytes(chain.netuid, chain.validator.address)).toBeNull();
    expect(await app.get(CollateralContractDiscovery).discover({ refresh: true })).toMatchObject({ state: 'none' });
    const hotkeys = chain.miners.map((m) => m.hotkey.address);
    expect(await app.get(CollateralGate).filterMiners(hotkeys)).toEqual({ eligible: hotkeys, threshold: null });
  });

  it('finds the contract address in the validator commitment (Raw71, as the publish script writes it)', async () => {
    const json = `{"contract": {"address": "${getAddress(contract)}"}}`;
    const bytes = stringToU8a(json);
    expect(bytes.length).toBe(71);
    // Commitments charge a fee and a deposit: give the validator hotkey some balance.
    await chain.setStorage({ System: { Account: [[[chain.validator.address], { providers: 1, data: { free: '1000000000000000' } }]] } });
    await chain.submit(chain.api.tx.commitments.setCommitment(chain.netuid, { fields: [{ Raw71: u8aToHex(bytes) }] }), chain.validator);
    expect(u8aToHex((await reader.commitmentBytes(chain.netuid, chain.validator.address)) ?? undefined)).toBe(u8aToHex(bytes));
    expect(await app.get(CollateralContractDiscovery).discover({ refresh: true })).toEqual({ state: 'found', address: getAddress(contract) });
  });

  it('reads EVM associations of the subnet by uid (raw layout on this runtime)', async () => {
    const before = await reader.snapshot(chain.netuid);
    expect((await reader.associatedEvmAddresses(chain.netuid, before.blockHash)).size).toBe(0);
    const entries = chain.miners.map((m, i) => [associationKey(chain.netuid, m.uid), encodeAssociationValue(anvilAccount(2 + i).address, 7n)]);
    // An association on another subnet must not leak in.
    entries.push([associationKey(chain.netuid + 1, 1), encodeAssociationValue(anvilAccount(9).address, 7n)]);
    await chain.setStorage(entries as unknown as Record<string, unknown>);
    // Reads at a block hash are cached by @polkadot/api (state at a hash never changes on a real
    // chain); dev_setStorage edits the head in place, so move to a new block.
    await chain.newBlocks(1);
    const after = await reader.snapshot(chain.netuid);
    const associations = await reader.associatedEvmAddresses(chain.netuid, after.blockHash);
    expect([...associations.entries()].sort()).toEqual(chain.miners.map((m, i) => [m.uid, anvilAccount(2 + i).address.toLowerCase()]));
  });

  it('syncs deposits of associated miners end to end and filters routing by them', async () => {
    const report = await app.get(CollateralSyncService).sync();
    if (!report.ran || !report.ok) throw new Error(JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    expect(report.contract).toBe(getAddress(contract));
    const repo = app.get(DataSource).getRepository(Miner);
    const [m0, m1] = chain.miners;
    expect(await repo.findOneByOrFail({ hotkey: m0.hotkey.address })).toMatchObject({ evmAddress: anvilAccount(2).address.toLowerCase(), collateralWei: 12n * MILLI_TAO });
    expect(await repo.findOneByOrFail({ hotkey: m1.hotkey.address })).toMatchObject({ evmAddress: anvilAccount(3).address.toLowerCase(), collateralWei: 3n * MILLI_TAO });
    expect(await repo.findOneByOrFail({ hotkey: chain.validator.address })).toMatchObject({ evmAddress: null, collateralWei: 0n });
    expect(await app.get(CollateralGate).filterMiners([m0.hotkey.address, m1.hotkey.address])).toEqual({ eligible: [m0.hotkey.address], threshold: 10n * MILLI_TAO });
  });

  it('validator-cli wiring: the CLI module graph (btcli wallet, ChainService) runs sync-collaterals and routing gets the contract gate', async () => {
    const wallets = mkdtempSync(join(tmpdir(), 'collateral-cli-'));
    await writeBtcliWallet({ directory: wallets, walletName: 'validator', hotkeyName: 'default', secret: devnetSeed('validator') });
    const ctx = await cliContext(
      { kind: 'postgres', url: db.url },
      {
        BITTENSOR_NETWORK: chain.wsUrl,
        BITTENSOR_NETUID: String(chain.netuid),
        BITTENSOR_EVM_RPC_URL: anvil.wsUrl,
        BITTENSOR_WALLET_DIRECTORY: wallets,
        BITTENSOR_WALLET_NAME: 'validator',
        BITTENSOR_WALLET_HOTKEY_NAME: 'default',
      },
    );
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(ctx.get(CollateralGate, { strict: false })).toBeInstanceOf(ContractCollateralGate);
      await ctx.get(SyncCollateralsCommand, { strict: false }).run();
    } finally {
      spy.mockRestore();
      await ctx.close();
      rmSync(wallets, { recursive: true, force: true });
    }
    const text = out.join('');
    expect(text).toContain(anvilAccount(2).address.toLowerCase());
    expect(text).toContain((12n * MILLI_TAO).toString());
    expect(text).toContain(`contract ${getAddress(contract)}`);
    expect(process.exitCode ?? 0).toBe(0);
  });
});
