import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { submitExtrinsic } from '../../chain/extrinsics';
import { writeBtcliWallet } from '../../chain/wallet/btcli-wallet';
import { resolveChainSpec } from './chain-spec-source';

/** 1 TAO in rao. */
export const TAO = 1_000_000_000n;

/** Fast hyperparameters for tests and the demo; every field is applied with sudo. */
export interface LocalSubnetHyperparameters {
  tempo: number;
  weightsRateLimit: number;
  minAllowedWeights: number;
  weightsVersionKey: number;
  maxRegistrationsPerBlock: number;
  targetRegistrationsPerInterval: number;
  commitRevealEnabled: boolean;
  /** RevealPeriodEpochs (chain default 1). */
  revealPeriodEpochs: number;
}

export const FAST_HYPERPARAMETERS: LocalSubnetHyperparameters = {
  tempo: 10,
  weightsRateLimit: 0,
  minAllowedWeights: 1,
  weightsVersionKey: 0,
  maxRegistrationsPerBlock: 16,
  targetRegistrationsPerInterval: 16,
  commitRevealEnabled: false,
  revealPeriodEpochs: 1,
};

export interface LocalChainOptions {
  /** Raw chain spec; default CHAIN_SPEC, ../shared/chain/raonet.json, or the pinned download (chain-spec-source.ts). */
  chainSpec?: string;
  /** Progress lines (e.g. that the chain spec is being downloaded). */
  log?: (line: string) => void;
  /** Listening port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Create a subnet owned by the validator (default true). */
  subnet?: boolean;
  /** Number of miners registered on the subnet (default 3). */
  miners?: number;
  /** Axon of each miner; default 127.0.0.2:8000+i (the runtime refuses 127.0.0.1). null = no axon. */
  minerAxons?: ({ host: string; port: number } | null)[];
  /** Stake the validator coldkey adds to the validator hotkey, in rao (default 100 TAO). */
  validatorStake?: bigint;
  hyperparameters?: Partial<LocalSubnetHyperparameters>;
  /** Blocks built after setup so that an epoch runs and permits are assigned (default tempo + 2). */
  settleBlocks?: number;
  /** Seeds of the hotkeys; default derived from fixed names (same keys every run). */
  validatorSeed?: Uint8Array;
  minerSeed?: (index: number) => Uint8Array;
  /**
   * Give every miner its own funded coldkey (seed `devnetSeed('miner-<i>-coldkey')`) instead of the
   * shared //Bob. Scoring groups hotkeys by coldkey (main-hotkey share), so a demo that compares
   * miners needs them apart.
   */
  ownMinerColdkeys?: boolean;
}

/** Coldkey of miner `index` when `ownMinerColdkeys` is set. */
export function minerColdkeySeed(index: number): Uint8Array {
  return devnetSeed(`miner-${index}-coldkey`);
}

export interface LocalMiner {
  index: number;
  uid: number;
  hotkey: KeyringPair;
  axon: { host: string; port: number } | null;
}

/** The fixed 32-byte seed of a devnet hotkey called `name` (e.g. "validator", "miner-0"). */
export function devnetSeed(name: string): Uint8Array {
  return blake2AsU8a(`compute-horde-devnet:${name}`, 256);
}

/** Dev coldkeys funded at genesis by the helper. */
const FUNDED = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'];

/** IPv4 dotted quad to the u128 the runtime stores. */
export function ipv4ToInt(host: string): bigint {
  const parts = host.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${host}`);
  return parts.reduce((acc, p) => acc * 256n + BigInt(p), 0n);
}

/**
 * A real subtensor runtime (spec 218) run in-process by chopsticks, in Manual block mode, with a
 * subnet, a validator and miners ready for tests and the demo. See src/devnet/README.md.
 */
export class LocalChain {
  /** //Alice: sudo, subnet owner and validator coldkey. */
  readonly sudo: KeyringPair;
  /** //Bob: coldkey of every miner. */
  readonly minerColdkey: KeyringPair;
  readonly validator: KeyringPair;
  readonly miners: LocalMiner[] = [];
  netuid = -1;
  private validatorSeed!: Uint8Array;
  private producer: NodeJS.Timeout | undefined;
  private producing: Promise<unknown> = Promise.resolve();
  private building: Promise<unknown> = Promise.resolve();
  private stopped = false;

  private constructor(
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
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const { setupWithServer } = await import('@acala-network/chopsticks');
    const accounts = FUNDED.map((uri) => [[keyring.addFromUri(uri).address], { providers: 1, data: { free: '1000000000000000' } }]);
    if (opts.ownMinerColdkeys) {
      for (let i = 0; i < (opts.miners ?? 3); i++) {
        accounts.push([[keyring.addFromSeed(minerColdkeySeed(i)).address], { providers: 1, data: { free: '100000000000000' } }]);
      }
    }
    const server = await setupWithServer({
      genesis: opts.chainSpec ?? (await resolveChainSpec('raonet.json', { log: opts.log })),
      host: '127.0.0.1',
      port: opts.port ?? 0,
      'build-block-mode': 'Manual' as never,
      'runtime-log-level': 0,
      'import-storage': {
        Sudo: { Key: keyring.addFromUri('//Alice').address },
        System: { Account: accounts },
      },
    } as Parameters<typeof setupWithServer>[0]);
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
    const chain = new LocalChain(wsUrl, api, provider, server, keyring, validatorSeed);
    chain.validatorSeed = validatorSeed;
    try {
      await chain.ensureFirstBlock();
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
    await this.setStorage({ Timestamp: { Now: Math.floor(Date.now() / 12_000) * 12_000 } });
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
    const run = this.building.then(() => this.provider.send('dev_newBlock', [{ count }]));
    this.building = run.catch(() => undefined);
    await run;
    return this.head();
  }

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

  private async setupSubnet(opts: LocalChainOptions): Promise<void> {
    const params = { ...FAST_HYPERPARAMETERS, ...opts.hyperparameters };
    await this.sudoCall(this.api.tx.adminUtils.sudoSetNetworkRateLimit(0));
    const before = new Set((await this.api.query.subtensorModule.networksAdded.keys()).map((k) => Number(k.args[0].toString())));
    await this.submit(this.api.tx.subtensorModule.registerNetwork(this.validator.address, 1), this.sudo);
    const after = (await this.api.query.subtensorModule.networksAdded.keys()).map((k) => Number(k.args[0].toString()));
    const created = after.find((n) => !before.has(n));
    if (created === undefined) throw new Error('registerNetwork did not add a subnet');
    this.netuid = created;
    await this.setHyperparameters(params);
    const count = opts.miners ?? 3;
    for (let i = 0; i < count; i++) {
      const axon = opts.minerAxons ? (opts.minerAxons[i] ?? null) : { host: '127.0.0.2', port: 8000 + i };
      const coldkey = opts.ownMinerColdkeys ? this.keyring.addFromSeed(minerColdkeySeed(i)) : this.minerColdkey;
      await this.addMiner(opts.minerSeed ? opts.minerSeed(i) : devnetSeed(`miner-${i}`), axon, coldkey);
    }
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
