import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ApiPromise } from '@polkadot/api';
import type { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { HealthService } from '../observability/health.service';
import { ChainConnection, ChainHead } from './client/chain-connection';
import { ipFromInt, Metagraph, Neuron, SubnetHyperparameters } from './client/metagraph';
import { resolveChainEndpoint } from './client/network';
import { subnetStakesFromApiResult } from './client/subnet-state';

/** A block number and its hash, the point at which state is read. */
export interface BlockRef {
  number: number;
  hash: string;
}

/** A head is considered current for this long; older, the chain is asked directly. */
const HEAD_FRESH_MS = 12_000;

/**
 * The validator's view of subtensor for BITTENSOR_NETUID: head, hashes, hyperparameters and the
 * metagraph. Connects on first use (the daemon starts it at boot) and keeps reconnecting.
 * Every read throws ChainUnavailableError (clear message) while the chain cannot be reached.
 */
@Injectable()
export class ChainService implements OnApplicationShutdown {
  private readonly logger = new Logger('Chain');
  readonly connection: ChainConnection;
  readonly netuid: number;
  readonly endpoint: string;

  constructor(config: AppConfig, health: HealthService) {
    this.netuid = config.chain.BITTENSOR_NETUID;
    this.endpoint = resolveChainEndpoint(config.chain.BITTENSOR_NETWORK, config.chain.BT_SUBTENSOR_CHAIN_ENDPOINT);
    this.connection = new ChainConnection(this.endpoint, {
      log: (m) => this.logger.log(m),
      warn: (m) => this.logger.warn(m),
    });
    const limitMs = config.chain.HEALTH_CHAIN_UNREACHABLE_SECONDS * 1000;
    health.register({
      name: 'chain',
      critical: true,
      check: async () => {
        const head = this.connection.lastHead;
        const headText = head ? `block ${head.number} seen ${Math.round((Date.now() - head.seenAt) / 1000)} s ago` : 'no block seen yet';
        if (this.connection.connected) return { ok: true, detail: `connected to ${this.endpoint}; ${headText}` };
        const downMs = this.connection.unreachableForMs();
        const why = `not connected to ${this.endpoint} for ${Math.round(downMs / 1000)} s (${this.connection.lastError ?? 'connecting'}); ${headText}`;
        // A short outage is reported but does not make the validator unhealthy.
        if (downMs <= limitMs) return { ok: false, critical: false, detail: `${why}; unhealthy after ${limitMs / 1000} s (HEALTH_CHAIN_UNREACHABLE_SECONDS)` };
        return { ok: false, detail: `${why}; check BITTENSOR_NETWORK and the node` };
      },
    });
  }

  /** Begins connecting in the background (the daemon calls it at start; reads call it implicitly). */
  start(): void {
    this.connection.start();
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** The newest head seen through the subscription, if any. */
  get lastHead(): ChainHead | undefined {
    return this.connection.lastHead;
  }

  get heads$(): Observable<ChainHead> {
    return this.connection.heads$;
  }

  /** The connected @polkadot/api client (for extrinsics and reads not covered here). */
  api(timeoutMs?: number): Promise<ApiPromise> {
    return this.connection.ready(timeoutMs);
  }

  /** The chain head (number and hash): the subscription's if fresh, else asked from the node. */
  async head(): Promise<BlockRef> {
    const api = await this.api();
    const seen = this.connection.lastHead;
    if (seen && Date.now() - seen.seenAt < HEAD_FRESH_MS) return { number: seen.number, hash: seen.hash };
    const header = await api.rpc.chain.getHeader();
    return { number: header.number.toNumber(), hash: header.hash.toHex() };
  }

  async currentBlock(): Promise<number> {
    return (await this.head()).number;
  }

  async blockHash(block: number): Promise<string> {
    const api = await this.api();
    const hash = await api.rpc.chain.getBlockHash(block);
    if (hash.isEmpty) throw new Error(`block ${block} is not known to ${this.endpoint}`);
    return hash.toHex();
  }

  /** Timestamp.Now at the block (ms precision). */
  async blockTimestamp(block: number | BlockRef): Promise<Date> {
    const api = await this.api();
    const hash = typeof block === 'number' ? await this.blockHash(block) : block.hash;
    const apiAt = await api.at(hash);
    return new Date(Number((await apiAt.query.timestamp.now()).toString()));
  }

  private async at(block?: number | BlockRef): Promise<{ api: ApiPromise; ref: BlockRef }> {
    const api = await this.api();
    const ref = block === undefined ? await this.head() : typeof block === 'number' ? { number: block, hash: await this.blockHash(block) } : block;
    return { api, ref };
  }

  /** The subnet's hyperparameters at a block (default: head), read from storage. */
  async hyperparameters(block?: number | BlockRef): Promise<SubnetHyperparameters> {
    const { api, ref } = await this.at(block);
    const q = (await api.at(ref.hash)).query.subtensorModule;
    const n = this.netuid;
    const [tempo, commitReveal, revealPeriod, rateLimit, versionKey, minAllowed, maxLimit] = await Promise.all([
      q.tempo(n),
      q.commitRevealWeightsEnabled(n),
      q.revealPeriodEpochs(n),
      q.weightsSetRateLimit(n),
      q.weightsVersionKey(n),
      q.minAllowedWeights(n),
      q.maxWeightsLimit(n),
    ]);
    return {
      tempo: Number(tempo.toString()),
      commitRevealEnabled: commitReveal.toString() === 'true',
      revealPeriodEpochs: Number(revealPeriod.toString()),
      weightsRateLimit: BigInt(rateLimit.toString()),
      weightsVersionKey: BigInt(versionKey.toString()),
      minAllowedWeights: Number(minAllowed.toString()),
      maxWeightsLimit: Number(maxLimit.toString()),
    };
  }

  /** uid of a hotkey on the subnet at the head, or undefined when not registered. */
  async uidOf(hotkey: string): Promise<number | undefined> {
    const api = await this.api();
    const uid = await api.query.subtensorModule.uids(this.netuid, hotkey);
    const json = uid.toJSON();
    return json === null || json === undefined ? undefined : Number(json);
  }

  /**
   * Every neuron of the subnet at a block (default: head), ordered by uid, from storage (Keys,
   * Owner, Axons, ValidatorPermit, Active). Stake is the runtime's stake weight (SubnetState
   * total_stake, typed or decoded from bytes), else TotalHotkeyAlpha (see README).
   */
  async metagraph(block?: number | BlockRef): Promise<Metagraph> {
    const { api, ref } = await this.at(block);
    const apiAt = await api.at(ref.hash);
    const q = apiAt.query.subtensorModule;
    const n = this.netuid;
    const [keyEntries, permits, active] = await Promise.all([q.keys.entries(n), q.validatorPermit(n), q.active(n)]);
    const byUid = keyEntries
      .map(([key, hotkey]) => ({ uid: Number(key.args[1].toString()), hotkey: hotkey.toString() }))
      .sort((a, b) => a.uid - b.uid);
    const hotkeys = byUid.map((e) => e.hotkey);
    const [owners, axons, alphas] = await Promise.all([
      hotkeys.length ? q.owner.multi(hotkeys) : Promise.resolve([]),
      hotkeys.length ? q.axons.multi(hotkeys.map((h) => [n, h])) : Promise.resolve([]),
      hotkeys.length ? q.totalHotkeyAlpha.multi(hotkeys.map((h) => [h, n])) : Promise.resolve([]),
    ]);
    const permitList = permits.toJSON() as boolean[];
    const activeList = active.toJSON() as boolean[];
    const stakeWeights = await this.stakeWeights(apiAt, hotkeys);
    const neurons: Neuron[] = byUid.map(({ uid, hotkey }, i) => {
      const axon = axons[i].toJSON() as { version?: number; ip?: number | string; port?: number; ipType?: number; protocol?: number } | null;
      const ipValue = axon?.ip === undefined ? 0n : BigInt(axon.ip);
      const { ip, version } = ipFromInt(ipValue);
      return {
        uid,
        hotkey,
        coldkey: owners[i].toString(),
        stake: stakeWeights ? stakeWeights[i] : BigInt(alphas[i].toString()),
        axon: { ip, port: axon?.port ?? 0, ipVersion: version, ipType: axon?.ipType ?? 0, protocol: axon?.protocol ?? 0, version: axon?.version ?? 0 },
        validatorPermit: permitList[uid] === true,
        active: activeList[uid] === true,
      };
    });
    return { netuid: n, block: ref.number, blockHash: ref.hash, neurons, stakeSource: stakeWeights ? 'stake-weight' : 'alpha' };
  }

  private stakeWarningShown = false;

  /**
   * total_stake (stake weight) by uid from SubnetInfoRuntimeApi.get_subnet_state, typed or opaque
   * bytes. undefined (the caller falls back to TotalHotkeyAlpha) when the API is absent, does not
   * decode exactly, or lists other hotkeys than storage.
   */
  private async stakeWeights(apiAt: Awaited<ReturnType<ApiPromise['at']>>, hotkeys: string[]): Promise<bigint[] | undefined> {
    const call = apiAt.call.subnetInfoRuntimeApi?.getSubnetState;
    if (!call || hotkeys.length === 0) return undefined;
    let problem: string;
    try {
      const stakes = subnetStakesFromApiResult(await call(this.netuid));
      if (stakes && stakes.hotkeys.length === hotkeys.length && stakes.hotkeys.every((h, i) => h === hotkeys[i])) return stakes.totalStake;
      problem = 'its result does not match the metagraph';
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
    if (!this.stakeWarningShown) {
      this.stakeWarningShown = true;
      this.logger.warn(`SubnetState runtime API unusable (${problem}); using TotalHotkeyAlpha as stake`);
    }
    return undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.stop();
  }
}
