import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { submitExtrinsic } from '../../chain/extrinsics';
import { writeBtcliWallet } from '../../chain/wallet/btcli-wallet';
import { DevnetDrandFeed, LocalDrandBeacon } from './local-drand-beacon';
import { chopsticksRuntimeOptions, LocalRuntime, runtimeFromEnv, slotDurationMs } from './runtimes';
import { devnetSeed, FAST_HYPERPARAMETERS, ipv4ToInt, LocalChainOptions, LocalMiner, LocalSubnetHyperparameters, minerColdkeySeed, TAO } from './local-chain-options';

export { TAO, FAST_HYPERPARAMETERS, minerColdkeySeed, devnetSeed, ipv4ToInt } from './local-chain-options';
export type { LocalSubnetHyperparameters, LocalChainOptions, LocalMiner } from './local-chain-options';

/** Dev coldkeys funded at genesis by the helper. */
const FUNDED = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'];

/**
 * A real subtensor runtime (spec 293 or 218) run in-process by chopsticks, in Manual block mode, with
 * a subnet, a validator and miners ready for tests and the demo. On 293 a local drand beacon of our
 * own is the chain's `Drand.BeaconConfig` and its pulses are stored as blocks advance, so the chain
 * reveals timelocked commits by itself. See src/devnet/README.md.
 */
export class LocalChain {
  /** //Alice: sudo, subnet owner and validator coldkey. */
  readonly sudo: KeyringPair;
  /** //Bob: coldkey of every miner. */
  readonly minerColdkey: KeyringPair;
  readonly validator: KeyringPair;
  readonly miners: LocalMiner[] = [];
  netuid = -1;
  /** Our drand beacon and its feed into the chain (runtime 293), else null. */
  drand: DevnetDrandFeed | null = null;
  private validatorSeed!: Uint8Array;
  private producer: NodeJS.Timeout | undefined;
  private producing: Promise<unknown> = Promise.resolve();
  private building: Promise<unknown> = Promise.resolve();
  private stopped = false;

  private constructor(
    readonly runtime: LocalRuntime,
    readonly wsUrl: string,
    /** An admin client of the helper itself; the validator's code makes its own connection. */
    readonly api: ApiPromise,
    private readonly provider: WsProvider,
    private readonly server: { close(): Promise<void> },
    readonly keyring: Keyring,
    validatorSeed: Uint8Array,
  ) {
    this.sudo = keyring.addFromUri('//Alice');
    this.minerColdkey = keyring.addFromUri('//Bob');
    this.validator = keyring.addFromSeed(validatorSeed);
  }

  /** Starts the chain and (unless `subnet: false`) sets up the subnet, validator and miners. */
  static async start(opts: LocalChainOptions = {}): Promise<LocalChain> {
    await cryptoWaitReady();
    const runtime = opts.runtime ?? runtimeFromEnv();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const { setupWithServer } = await import('@acala-network/chopsticks');
    const accounts = FUNDED.map((uri) => [[keyring.addFromUri(uri).address], { providers: 1, data: { free: '1000000000000000' } }]);
    if (opts.ownMinerColdkeys) {
      for (let i = 0; i < (opts.miners ?? 3); i++) {
        accounts.push([[keyring.addFromSeed(minerColdkeySeed(i)).address], { providers: 1, data: { free: '100000000000000' } }]);
      }
    }
    const server = await setupWithServer({
      ...(await chopsticksRuntimeOptions(runtime, { genesis: opts.chainSpec, log: opts.log })),
      host: '127.0.0.1',
      port: opts.port ?? 0,
      'build-block-mode': 'Manual' as never,
      'runtime-log-level': 0,
      'import-storage': {
        Sudo: { Key: keyring.addFromUri('//Alice').address },
        System: { Account: accounts },
      },
    } as Parameters<typeof setupWithServer>[0]);
    if (runtime === 293) {
      // chopsticks cannot probe this runtime's Aura slot (its probe refuses the unresolved imports) and
      // would assume 12 s, then fail on block 2 with "Slot must increase" (../shared/chain/README.md)
      const { getAuraSlotDuration } = await import('@acala-network/chopsticks-core');
      getAuraSlotDuration.cache.set(await server.chain.head.wasm, Promise.resolve(slotDurationMs(runtime)));
    }
    const wsUrl = `ws://${server.addr}`;
    let api: ApiPromise;
    const provider = new WsProvider(wsUrl, false);
    try {
      await provider.connect();
      api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
    } catch (e) {
      await server.close();
      throw e;
    }
    const validatorSeed = opts.validatorSeed ?? devnetSeed('validator');
    const chain = new LocalChain(runtime, wsUrl, api, provider, server, keyring, validatorSeed);
    chain.validatorSeed = validatorSeed;
    try {
      await chain.ensureFirstBlock();
      if (runtime === 293) chain.drand = await DevnetDrandFeed.install(chain.drandAccess, slotDurationMs(runtime));
      if (opts.subnet !== false) await chain.setupSubnet(opts);
    } catch (e) {
      await chain.stop();
      throw e;
    }
    return chain;
  }

  /**
   * Writes the validator hotkey as a btcli wallet under `directory` and returns the environment
   * that points the validator at this chain with that wallet.
   */
  async validatorEnv(directory: string, walletName = 'validator', hotkeyName = 'default'): Promise<Record<string, string>> {
    await writeBtcliWallet({ directory, walletName, hotkeyName, secret: this.validatorSeed, coldkeySs58: this.sudo.address });
    return {
      BITTENSOR_NETWORK: this.wsUrl,
      BITTENSOR_NETUID: String(this.netuid),
      BITTENSOR_WALLET_DIRECTORY: directory,
      BITTENSOR_WALLET_NAME: walletName,
      BITTENSOR_WALLET_HOTKEY_NAME: hotkeyName,
    };
  }

  /**
   * chopsticks builds block #1 while starting, reading the wall clock twice (Aura slot digest and
   * timestamp inherent); when a slot boundary falls between the two reads the runtime panics and
   * the chain stays at genesis, where every signed extrinsic fails with badProof (no BlockHash(0)).
   * Then pin the genesis timestamp to a slot boundary and build block #1 again.
   */
  private async ensureFirstBlock(): Promise<void> {
    if ((await this.head()) > 0) return;
    const slot = slotDurationMs(this.runtime);
    await this.setStorage({ Timestamp: { Now: Math.floor(Date.now() / slot) * slot } });
    await this.newBlocks(1);
    if ((await this.head()) === 0) throw new Error('the local chain could not build block #1');
  }

  /** Head block number. */
  async head(): Promise<number> {
    const header = await this.api.rpc.chain.getHeader();
    return header.number.toNumber();
  }

  /** Builds `count` blocks (including pending extrinsics); returns the new head number. */
  async newBlocks(count = 1): Promise<number> {
    const run = this.building.then(async () => {
      if (!this.drand) return this.provider.send('dev_newBlock', [{ count }]);
      for (let i = 0; i < count; i++) {
        await this.drand.beforeBlock();
        await this.provider.send('dev_newBlock', [{ count: 1 }]);
        await this.drand.afterBlock();
      }
    });
    this.building = run.catch(() => undefined);
    await run;
    return this.head();
  }

  /** The drand beacon whose pulses the chain stores (runtime 293), else null. */
  get beacon(): LocalDrandBeacon | null {
    return this.drand?.beacon ?? null;
  }

  /** The beacon never stores `round` (removed if already stored): a timelocked commit to it cannot be revealed. */
  async withholdPulse(round: number): Promise<void> {
    if (!this.drand) throw new Error(`runtime ${this.runtime} has no drand beacon`);
    await this.drand.withhold(round);
  }

  /** The head's `Timestamp.Now` in ms (chopsticks adds one slot per block). */
  async headTimestampMs(): Promise<number> {
    return Number((await this.api.query.timestamp.now()).toString());
  }

  private readonly drandAccess = {
    send: (method: string, params: unknown[]) => this.provider.send(method, params),
    headTimestampMs: () => this.headTimestampMs(),
    lastStoredRound: async () => Number((await this.api.query.drand.lastStoredRound()).toString()),
    setStorage: (values: Record<string, unknown>) => this.setStorage(values),
  };

  /**
   * Waits until at least `count` extrinsics sent by other code (e.g. the validator's own client)
   * are in the pool, then builds one block that includes them; returns the new head.
   */
  async includePending(count = 1, timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.api.rpc.author.pendingExtrinsics()).length < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} extrinsic(s) arrived in the pool within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.newBlocks(1);
  }

  /** Builds blocks until the head is at least `block`. */
  async advanceTo(block: number): Promise<number> {
    const head = await this.head();
    return block > head ? this.newBlocks(block - head) : head;
  }

  /** Builds a block every `intervalMs` until stopBlockProducer() (demo; tests prefer newBlocks). */
  startBlockProducer(intervalMs: number): void {
    this.stopBlockProducer();
    const tick = () => {
      if (this.stopped) return;
      this.producing = this.newBlocks(1)
        .catch(() => undefined)
        .finally(() => {
          if (this.producer && !this.stopped) this.producer = setTimeout(tick, intervalMs);
        });
    };
    this.producer = setTimeout(tick, intervalMs);
  }

  stopBlockProducer(): void {
    if (this.producer) clearTimeout(this.producer);
    this.producer = undefined;
  }

  /** Rewinds the chain to an earlier block (state included), e.g. to reset between tests. */
  async setHead(block: number): Promise<void> {
    await this.provider.send('dev_setHead', [block]);
  }

  /** Overwrites storage, e.g. `{ SubtensorModule: { Tempo: [[[netuid], 7]] } }`. */
  async setStorage(values: Record<string, unknown>): Promise<void> {
    await this.provider.send('dev_setStorage', [values]);
  }

  /** Submits and includes one extrinsic (building a block); throws with the decoded error if it fails. */
  async submit(tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair): Promise<void> {
    const outcome = await submitExtrinsic(this.api, tx, signer, { afterSubmit: () => this.newBlocks(1), timeoutMs: 60_000 });
    if (!outcome.ok) throw new Error(`${tx.method.section}.${tx.method.method} failed: ${outcome.message}`);
  }

  /** Submits a call through sudo as //Alice. */
  async sudoCall(call: SubmittableExtrinsic<'promise'>): Promise<void> {
    await this.submit(this.api.tx.sudo.sudo(call), this.sudo);
  }

  /** Applies hyperparameters to the subnet in one sudo batch. */
  async setHyperparameters(params: Partial<LocalSubnetHyperparameters>): Promise<void> {
    const admin = this.api.tx.adminUtils;
    const n = this.netuid;
    const calls: SubmittableExtrinsic<'promise'>[] = [];
    if (params.tempo !== undefined) calls.push(admin.sudoSetTempo(n, params.tempo));
    if (params.weightsRateLimit !== undefined) calls.push(admin.sudoSetWeightsSetRateLimit(n, params.weightsRateLimit));
    if (params.maxRegistrationsPerBlock !== undefined) calls.push(admin.sudoSetMaxRegistrationsPerBlock(n, params.maxRegistrationsPerBlock));
    if (params.targetRegistrationsPerInterval !== undefined) calls.push(admin.sudoSetTargetRegistrationsPerInterval(n, params.targetRegistrationsPerInterval));
    if (params.minAllowedWeights !== undefined) calls.push(admin.sudoSetMinAllowedWeights(n, params.minAllowedWeights));
    if (params.weightsVersionKey !== undefined) calls.push(admin.sudoSetWeightsVersionKey(n, params.weightsVersionKey));
    if (params.commitRevealEnabled !== undefined) calls.push(admin.sudoSetCommitRevealWeightsEnabled(n, params.commitRevealEnabled));
    if (params.revealPeriodEpochs !== undefined) calls.push(admin.sudoSetCommitRevealWeightsInterval(n, params.revealPeriodEpochs));
    if (calls.length > 0) await this.sudoCall(this.api.tx.utility.batchAll(calls));
  }

  async setCommitReveal(enabled: boolean): Promise<void> {
    await this.setHyperparameters({ commitRevealEnabled: enabled });
  }

  /** Registers a hotkey on the subnet (burned registration paid by the miner coldkey); returns its uid. */
  async registerNeuron(hotkey: KeyringPair, coldkey: KeyringPair = this.minerColdkey): Promise<number> {
    await this.submit(this.api.tx.subtensorModule.burnedRegister(this.netuid, hotkey.address), coldkey);
    const uid = await this.api.query.subtensorModule.uids(this.netuid, hotkey.address);
    return Number(uid.toString());
  }

  /** Publishes an IPv4 axon for a hotkey (signed by the hotkey; 127.0.0.1 is refused by the runtime). */
  async serveAxon(hotkey: KeyringPair, host: string, port: number): Promise<void> {
    await this.submit(this.api.tx.subtensorModule.serveAxon(this.netuid, 1, ipv4ToInt(host), port, 4, 4, 0, 0), hotkey);
  }

  /** coldkey stakes `amount` rao to `hotkey` on this subnet. */
  async addStake(coldkey: KeyringPair, hotkey: string, amount: bigint): Promise<void> {
    await this.submit(this.api.tx.subtensorModule.addStake(hotkey, this.netuid, amount), coldkey);
  }

  /** Registers one more miner (hotkey from `seed`) with an optional axon; returns it. */
  async addMiner(seed: Uint8Array, axon: { host: string; port: number } | null, coldkey: KeyringPair = this.minerColdkey): Promise<LocalMiner> {
    const hotkey = this.keyring.addFromSeed(seed);
    const uid = await this.registerNeuron(hotkey, coldkey);
    if (axon) await this.serveAxon(hotkey, axon.host, axon.port);
    const miner: LocalMiner = { index: this.miners.length, uid, hotkey, axon };
    this.miners.push(miner);
    return miner;
  }

  /**
   * Registers the miners a block at a time (up to the per-block registration limit; one batch per
   * coldkey) and serves their axons in one more block: a devnet of 16 miners is ready in a few blocks.
   */
  private async registerMiners(opts: LocalChainOptions, perBlock: number): Promise<void> {
    const tx = this.api.tx;
    const planned = Array.from({ length: opts.miners ?? 3 }, (_, index) => ({
      index,
      hotkey: this.keyring.addFromSeed(opts.minerSeed ? opts.minerSeed(index) : devnetSeed(`miner-${index}`)),
      axon: opts.minerAxons ? (opts.minerAxons[index] ?? null) : { host: '127.0.0.2', port: 8000 + index },
      coldkey: opts.ownMinerColdkeys ? this.keyring.addFromSeed(minerColdkeySeed(index)) : this.minerColdkey,
    }));
    for (let i = 0; i < planned.length; i += Math.max(1, perBlock)) {
      const byColdkey = new Map<string, { coldkey: KeyringPair; calls: SubmittableExtrinsic<'promise'>[] }>();
      for (const m of planned.slice(i, i + Math.max(1, perBlock))) {
        const group = byColdkey.get(m.coldkey.address) ?? { coldkey: m.coldkey, calls: [] };
        group.calls.push(tx.subtensorModule.burnedRegister(this.netuid, m.hotkey.address));
        byColdkey.set(m.coldkey.address, group);
      }
      await this.submitAll([...byColdkey.values()].map((g) => ({ tx: g.calls.length === 1 ? g.calls[0] : tx.utility.batchAll(g.calls), signer: g.coldkey })));
    }
    await this.submitAll(planned.filter((m) => m.axon).map((m) => ({ tx: tx.subtensorModule.serveAxon(this.netuid, 1, ipv4ToInt(m.axon!.host), m.axon!.port, 4, 4, 0, 0), signer: m.hotkey })));
    for (const m of planned) {
      const uid = Number((await this.api.query.subtensorModule.uids(this.netuid, m.hotkey.address)).toString());
      this.miners.push({ index: m.index, uid, hotkey: m.hotkey, axon: m.axon });
    }
  }

  /** Extrinsics of different signers, included together in one new block; throws with the first decoded error. */
  async submitAll(items: { tx: SubmittableExtrinsic<'promise'>; signer: KeyringPair }[]): Promise<void> {
    if (items.length === 0) return;
    const outcomes = Promise.all(items.map(({ tx, signer }) => submitExtrinsic(this.api, tx, signer, { timeoutMs: 60_000 })));
    await this.includePending(items.length, 30_000);
    const failed = (await outcomes).map((o, i) => [o, items[i].tx] as const).find(([o]) => !o.ok);
    if (failed && !failed[0].ok) throw new Error(`${failed[1].method.section}.${failed[1].method.method} failed: ${failed[0].message}`);
  }

  private async setupSubnet(opts: LocalChainOptions): Promise<void> {
    const params = { ...FAST_HYPERPARAMETERS, ...opts.hyperparameters };
    await this.sudoCall(this.api.tx.adminUtils.sudoSetNetworkRateLimit(0));
    const before = new Set((await this.api.query.subtensorModule.networksAdded.keys()).map((k) => Number(k.args[0].toString())));
    // (hotkey, mechid) on 218, (hotkey) on later runtimes: follow the metadata
    const register = this.api.tx.subtensorModule.registerNetwork;
    await this.submit(register.meta.args.length === 2 ? register(this.validator.address, 1) : register(this.validator.address), this.sudo);
    const after = (await this.api.query.subtensorModule.networksAdded.keys()).map((k) => Number(k.args[0].toString()));
    const created = after.find((n) => !before.has(n));
    if (created === undefined) throw new Error('registerNetwork did not add a subnet');
    this.netuid = created;
    // runtimes with `start_call` refuse staking on a new subnet until it is started (after DurationOfStartCall blocks)
    if (this.api.tx.adminUtils.sudoSetSubtokenEnabled) await this.sudoCall(this.api.tx.adminUtils.sudoSetSubtokenEnabled(created, true));
    await this.setHyperparameters(params);
    await this.registerMiners(opts, params.maxRegistrationsPerBlock);
    await this.addStake(this.sudo, this.validator.address, opts.validatorStake ?? 100n * TAO);
    await this.newBlocks(opts.settleBlocks ?? params.tempo + 2);
  }

  /** Stops the block producer, the client, the server and chopsticks' wasm worker. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopBlockProducer();
    await this.producing;
    await this.building.catch(() => undefined);
    await this.api.disconnect().catch(() => undefined);
    await this.server.close().catch(() => undefined);
    const { destroyWorker } = await import('@acala-network/chopsticks');
    await destroyWorker();
  }
}
