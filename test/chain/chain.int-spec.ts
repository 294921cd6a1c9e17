import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, TestingModule } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { filter, take } from 'rxjs/operators';
import { DataSource } from 'typeorm';
import { ChainModule } from '../../src/chain/chain.module';
import { ChainService } from '../../src/chain/chain.service';
import { ChainConnection } from '../../src/chain/client/chain-connection';
import { ValidatorHotkey } from '../../src/chain/validator-hotkey';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { WeightsExtrinsicsService } from '../../src/chain/weights/weights-extrinsics.service';
import { revealWindow } from '../../src/chain/weights/reveal-window';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { devnetSeed, LocalChain } from '../../src/devnet/chain/local-chain';
import { LOCAL_RUNTIMES, LocalRuntime } from '../../src/devnet/chain/runtimes';
import { TimelockedWeightsService } from '../../src/chain/weights/timelocked-weights.service';
import { QUICKNET } from '../../src/chain/weights/timelock/drand';
import { TcpProxy } from '../../src/devnet/chain/tcp-proxy';
import { Miner } from '../../src/miners/registry/miner.entity';
import { MinerRegistryService } from '../../src/miners/registry/miner-registry.service';
import { MinersModule } from '../../src/miners/miners.module';
import { ObservabilityModule } from '../../src/observability/observability.module';
import { HealthService } from '../../src/observability/health.service';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import { testConfig } from '../support/app';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';

jest.setTimeout(180_000);

/**
 * One real subtensor runtime (chopsticks) per runtime version (218 and 293) for the whole file. The
 * validator's own modules talk to it through a TCP relay, so that the connection can be cut mid-run.
 */
describe.each(LOCAL_RUNTIMES)('chain on the local subtensor runtime %i', (runtime: LocalRuntime) => {
  let chain: LocalChain;
  let proxy: TcpProxy;
  let db: ThrowawayDatabase;
  let app: TestingModule;
  let walletDir: string;
  let chainService: ChainService;
  let registry: MinerRegistryService;
  let weights: WeightsExtrinsicsService;
  let dataSource: DataSource;
  const started = Date.now();

  beforeAll(async () => {
    chain = await LocalChain.start({ runtime, miners: 3 });
    const port = Number(new URL(chain.wsUrl).port);
    proxy = await TcpProxy.start('127.0.0.1', port);
    walletDir = mkdtempSync(join(tmpdir(), 'chv-wallet-'));
    await writeBtcliWallet({ directory: walletDir, walletName: 'validator', hotkeyName: 'default', secret: devnetSeed('validator'), coldkeySs58: chain.sudo.address });
    db = await createThrowawayDatabase();
    const config = testConfig({
      BITTENSOR_NETWORK: proxy.url,
      BITTENSOR_NETUID: String(chain.netuid),
      BITTENSOR_WALLET_DIRECTORY: walletDir,
      BITTENSOR_WALLET_NAME: 'validator',
      BITTENSOR_WALLET_HOTKEY_NAME: 'default',
    });
    app = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ kind: 'postgres', url: db.url }), ObservabilityModule, ChainModule, MinersModule],
    })
      .setLogger({ log: () => undefined, warn: () => undefined, error: (m: unknown) => console.error(m), debug: () => undefined, verbose: () => undefined })
      .compile();
    await app.init();
    chainService = app.get(ChainService);
    registry = app.get(MinerRegistryService);
    weights = app.get(WeightsExtrinsicsService);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await chain?.stop();
    await db?.drop();
    if (walletDir) rmSync(walletDir, { recursive: true, force: true });
    process.stdout.write(`chain suite: ${((Date.now() - started) / 1000).toFixed(1)} s including chain start\n`);
  });

  it('loads the validator hotkey from the btcli wallet', () => {
    expect(app.get(ValidatorHotkey).ss58).toBe(chain.validator.address);
  });

  it('reads head, hyperparameters and the metagraph', async () => {
    const head = await chainService.head();
    expect(head.number).toBe(await chain.head());
    expect(await chainService.blockHash(head.number)).toBe(head.hash);
    const now = BigInt((await chain.api.query.timestamp.now()).toString());
    expect((await chainService.blockTimestamp(head)).getTime()).toBe(Number(now));
    expect(await chainService.uidOf(chain.miners[2].hotkey.address)).toBe(chain.miners[2].uid);
    expect(await chainService.uidOf(chain.sudo.address)).toBeUndefined();
    expect(await chainService.hyperparameters()).toEqual({
      tempo: 10,
      commitRevealEnabled: false,
      revealPeriodEpochs: 1,
      weightsRateLimit: 0n,
      weightsVersionKey: 0n,
      minAllowedWeights: 1,
      maxWeightsLimit: 65535,
    });
    const mg = await chainService.metagraph();
    expect(mg.block).toBe(head.number);
    expect(mg.neurons.map((n) => [n.uid, n.hotkey, n.coldkey])).toEqual([
      [0, chain.validator.address, chain.sudo.address],
      ...chain.miners.map((m) => [m.uid, m.hotkey.address, chain.minerColdkey.address]),
    ]);
    // stake weight decoded from the runtime's SubnetState bytes; no root stake here, so it equals the alpha stake
    expect(mg.stakeSource).toBe('stake-weight');
    expect(mg.neurons[0].stake).toBeGreaterThan(0n);
    expect(mg.neurons[0].stake).toBe(BigInt((await chain.api.query.subtensorModule.totalHotkeyAlpha(chain.validator.address, chain.netuid)).toString()));
    // 218 gives every neuron a permit while the subnet has at most MaxAllowedValidators; 293 only staked ones
    expect(mg.neurons.map((n) => n.validatorPermit)).toEqual(runtime === 218 ? [true, true, true, true] : [true, false, false, false]);
    expect(mg.neurons.slice(1).map((n) => n.axon)).toEqual(
      chain.miners.map((_, i) => ({ ip: '127.0.0.2', port: 8000 + i, ipVersion: 4, ipType: 4, protocol: 4, version: 1 })),
    );
    expect(mg.neurons[0].axon.ip).toBe('0.0.0.0');
  });

  it('syncs the metagraph into PostgreSQL and records VALIDATOR_MINERS_REFRESH', async () => {
    const outcome = await registry.syncMetagraph();
    expect(outcome).toMatchObject({ ran: true, result: { neurons: 4, newNeurons: 4, updatedNeurons: 0, leftMetagraph: 0 } });
    const mg = await chainService.metagraph();
    const rows = await dataSource.getRepository(Miner).find({ order: { uid: 'ASC' } });
    expect(rows).toHaveLength(4);
    for (const [i, row] of rows.entries()) {
      const n = mg.neurons[i];
      expect({
        uid: row.uid,
        hotkey: row.hotkey,
        coldkey: row.coldkey,
        address: row.address,
        port: row.port,
        ipVersion: row.ipVersion,
        stake: row.stake,
        validatorPermit: row.validatorPermit,
        inMetagraph: row.inMetagraph,
      }).toEqual({
        uid: n.uid,
        hotkey: n.hotkey,
        coldkey: n.coldkey,
        address: n.axon.ip,
        port: n.axon.port,
        ipVersion: 4,
        stake: n.stake,
        validatorPermit: n.validatorPermit,
        inMetagraph: true,
      });
    }
    const events = await dataSource.getRepository(SystemEvent).find({ where: { type: 'VALIDATOR_MINERS_REFRESH' } });
    expect(events.map((e) => [e.subtype, e.data])).toEqual([['SUCCESS', { block: mg.block, new_neurons: 4, updated_axon_infos: 0 }]]);
    expect((await registry.listServing()).map((m) => m.hotkey)).toEqual(chain.miners.map((m) => m.hotkey.address));
    expect((await registry.findByHotkey(chain.miners[1].hotkey.address))?.uid).toBe(chain.miners[1].uid);
    expect((await registry.listValidators({ minStake: 1n })).map((v) => v.uid)[0]).toBe(0);
    expect(await registry.listValidators()).toEqual([]); // nobody holds 1000 TAO of stake weight here
  });

  it('sees a new neuron without an axon, then marks a pruned neuron as out of the metagraph', async () => {
    const newcomer = await chain.addMiner(devnetSeed('miner-late'), null);
    await registry.syncMetagraph();
    const row = await registry.findByHotkey(newcomer.hotkey.address);
    expect(row).toMatchObject({ uid: 4, address: '0.0.0.0', port: 0, inMetagraph: true });
    expect((await registry.listServing()).map((m) => m.hotkey)).not.toContain(newcomer.hotkey.address);

    // A full subnet without immunity replaces a neuron when another registers.
    await chain.sudoCall(
      chain.api.tx.utility.batchAll([
        chain.api.tx.adminUtils.sudoSetImmunityPeriod(chain.netuid, 0),
        chain.api.tx.adminUtils.sudoSetMaxAllowedUids(chain.netuid, 6),
      ]),
    );
    await chain.addMiner(devnetSeed('miner-fills-subnet'), null);
    const before = (await chainService.metagraph()).neurons.map((n) => n.hotkey);
    const replacement = await chain.addMiner(devnetSeed('miner-replacement'), { host: '127.0.0.3', port: 9100 });
    const after = (await chainService.metagraph()).neurons.map((n) => n.hotkey);
    const gone = before.filter((h) => !after.includes(h));
    expect(gone).toHaveLength(1);
    const result = await registry.syncMetagraph();
    expect(result).toMatchObject({ ran: true, result: { newNeurons: 2, leftMetagraph: 1 } });
    expect(await registry.findByHotkey(gone[0])).toMatchObject({ inMetagraph: false });
    expect(await registry.findByHotkey(replacement.hotkey.address)).toMatchObject({ inMetagraph: true, address: '127.0.0.3', port: 9100 });
    expect(await dataSource.getRepository(Miner).count()).toBe(7); // nothing deleted
  });

  it('reads what the runtime offers for timelocked weights: the drand beacon and the block time', async () => {
    const timelocked = app.get(TimelockedWeightsService);
    if (runtime === 293) {
      expect(await timelocked.support()).toEqual({ scheme: 'crv3' });
      const beacon = await timelocked.beacon();
      expect({ ...beacon, publicKey: Buffer.from(beacon.publicKey).toString('hex') }).toEqual({
        publicKey: Buffer.from(chain.beacon!.publicKey).toString('hex'),
        genesisTime: chain.beacon!.genesisTime,
        period: 3,
        source: 'chain',
      });
      expect(Buffer.from(beacon.publicKey).equals(Buffer.from(QUICKNET.publicKey))).toBe(false);
      expect(await timelocked.blockTimeSeconds()).toBe(1);
      // pulses follow the chain's clock
      const last = Number((await chain.api.query.drand.lastStoredRound()).toString());
      expect(last).toBe(chain.beacon!.roundAt((await chain.headTimestampMs()) / 1000));
      expect((await chain.api.query.drand.pulses(last)).toJSON()).toMatchObject({ round: last, signature: chain.beacon!.pulse(last).signature });
    } else {
      expect(await timelocked.support()).toEqual({ scheme: 'none', specVersion: 218 });
      expect(await timelocked.beacon()).toMatchObject({ source: 'quicknet', genesisTime: QUICKNET.genesisTime, period: 3 });
      expect(await timelocked.blockTimeSeconds()).toBe(3); // raonet's Aura slot (finney: 12)
    }
  });

  it('sets weights directly and reads them back from chain storage', async () => {
    // turbobt's round(w / max × 65535) of [100, 200, 300]
    const values = [21845, 43690, 65535];
    const scheme = await weights.schemeForChain();
    expect(scheme.name).toBe('set_weights');
    const [result] = await Promise.all([scheme.submit({ uids: [1, 2, 3], values }, 0n), chain.includePending()]);
    expect(result).toMatchObject({ ok: true, committed: false });
    const stored = await chain.api.query.subtensorModule.weights(chain.netuid, 0);
    expect(stored.toJSON()).toEqual([
      [1, 21845],
      [2, 43690],
      [3, 65535],
    ]);
    // with a rate limit, a second set_weights right after is refused with a decoded error
    await chain.setHyperparameters({ weightsRateLimit: 100 });
    const [tooFast] = await Promise.all([weights.setWeights({ uids: [1], values: [65535] }, 0n), chain.includePending()]);
    expect(tooFast).toMatchObject({ ok: false, kind: 'dispatch', error: 'subtensorModule.SettingWeightsTooFast' });
    expect(tooFast.ok ? '' : tooFast.message).toMatch(/^subtensorModule\.SettingWeightsTooFast: .+/);
    await chain.setHyperparameters({ weightsRateLimit: 0 });
  });

  it('commits and reveals with commit-reveal on, with decoded refusals', async () => {
    await chain.setCommitReveal(true);
    expect((await chainService.hyperparameters()).commitRevealEnabled).toBe(true);
    expect((await weights.schemeForChain()).name).toBe('hash_commit_reveal');
    expect((await weights.schemeForChain({ timelocked: true })).name).toBe('timelocked_commit');

    const [refused] = await Promise.all([weights.setWeights({ uids: [1], values: [65535] }, 0n), chain.includePending()]);
    expect(refused).toMatchObject({ ok: false, kind: 'dispatch', error: 'subtensorModule.CommitRevealEnabled' });

    // commit in the first block of an epoch, so that the next block is still too early to reveal
    const { tempo } = await chainService.hyperparameters();
    let head = await chain.head();
    while ((head + 1 + chain.netuid + 1) % (tempo + 1) !== 0) head = await chain.newBlocks(1);
    const w = { uids: [1, 2, 3], values: [65535, 32768, 16384] };
    const [committed] = await Promise.all([weights.commitWeights(w, 0n), chain.includePending()]);
    if (!committed.ok) throw new Error(committed.message);
    const pending = await weights.pendingCommits();
    expect(pending).toHaveLength(1);
    expect(pending[0].commitHash).toBe(committed.ticket.commitHash);
    expect(revealWindow(head + 1, chain.netuid, tempo, 1)).toEqual({ first: pending[0].firstRevealBlock, last: pending[0].lastRevealBlock });

    const [early] = await Promise.all([weights.revealWeights(committed.ticket), chain.includePending()]);
    expect(early).toMatchObject({ ok: false, error: 'subtensorModule.RevealTooEarly' });

    // the reveal must land in a block inside the window
    await chain.advanceTo(pending[0].firstRevealBlock - 1);
    const [revealed] = await Promise.all([weights.revealWeights(committed.ticket), chain.includePending()]);
    expect(revealed).toMatchObject({ ok: true });
    expect((await chain.api.query.subtensorModule.weights(chain.netuid, 0)).toJSON()).toEqual([
      [1, 65535],
      [2, 32768],
      [3, 16384],
    ]);
    expect(await weights.pendingCommits()).toEqual([]);
    await chain.setCommitReveal(false);
  });

  it('recovers after the RPC connection drops mid-run', async () => {
    const health = app.get(HealthService);
    expect((await health.evaluate()).checks.chain).toMatchObject({ ok: true });
    const connectionsBefore = chainService.connection.connections;
    proxy.dropConnections();
    const deadline = Date.now() + 20_000;
    while (chainService.connection.connections === connectionsBefore) {
      if (Date.now() > deadline) throw new Error('the chain client did not reconnect within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(chainService.connection.connections).toBe(connectionsBefore + 1);
    // the new subscription delivers the next block
    const head = await chain.head();
    const next = firstValueFrom(chainService.heads$.pipe(filter((h) => h.number > head), take(1)));
    const built = await chain.newBlocks(1);
    expect((await next).number).toBe(built);
    expect(await chainService.currentBlock()).toBe(built);
    expect((await chainService.metagraph()).neurons).toHaveLength(6);
    expect((await health.evaluate()).checks.chain).toMatchObject({ ok: true });
  });

  it('reconnects when the node stops answering on an open socket', async () => {
    const warnings: string[] = [];
    const stallProxy = await TcpProxy.start('127.0.0.1', Number(new URL(chain.wsUrl).port));
    const conn = new ChainConnection(stallProxy.url, { log: () => undefined, warn: (m) => warnings.push(m) }, { stallCheckMs: 500, requestTimeoutMs: 1500 });
    try {
      await conn.ready();
      stallProxy.freezeConnections();
      const deadline = Date.now() + 20_000;
      while (conn.connections < 2) {
        if (Date.now() > deadline) throw new Error(`no reconnect; warnings: ${warnings.join(' | ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(warnings.some((w) => /lost the connection to subtensor at .* \(no block for \d+ s and no answer to system_health\); reconnecting/.test(w))).toBe(true);
      expect((await (await conn.ready()).rpc.chain.getHeader()).number.toNumber()).toBe(await chain.head());
    } finally {
      await conn.stop();
      await stallProxy.close();
    }
  });
});
