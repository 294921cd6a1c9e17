import { Injectable, Logger } from '@nestjs/common';
import type { ApiPromise } from '@polkadot/api';
import { Clock } from '../../config/clock';
import { ChainService } from '../chain.service';
import { submitExtrinsic } from '../extrinsics';
import { ValidatorHotkey } from '../validator-hotkey';
import { checkBeacon, DrandBeaconParams, QUICKNET } from './timelock/drand';
import { planReveal, TimelockPlan, TimelockScheme } from './timelock/reveal-round';
import { buildTimelockedCommit, CommitTooLargeError } from './timelock/commit-call';
import type { U16Weights, WeightsFailure } from './weights-extrinsics.service';

/** What the connected runtime offers for timelocked weights (read from its metadata). */
export type TimelockSupport = { scheme: 'crv4'; commitRevealVersion: number } | { scheme: 'crv3' } | { scheme: 'none'; specVersion: number };

/** The extrinsic that carried a timelocked commit. */
export type TimelockedCall = 'commit_crv3_weights' | 'commit_timelocked_weights';

/** What the validator keeps of a timelocked commit to follow it up (the chain reveals it by itself). */
export interface TimelockTicket extends TimelockPlan {
  scheme: TimelockScheme;
  call: TimelockedCall;
  /** Block the commit was included in. */
  commitBlock: number;
  beaconSource: 'chain' | 'quicknet';
}

export type TimelockedCommitResult = { ok: true; blockHash: string; ticket: TimelockTicket } | WeightsFailure;

/** The chain's verdict on a timelocked commit, once its reveal blocks have passed. */
export type RevealCheck =
  | { state: 'pending'; detail: string }
  | { state: 'applied'; block: number; weightsMatch: boolean; onChain: [number, number][]; detail: string }
  | { state: 'not-applied'; cause: 'pulse-missing' | 'dropped' | 'unknown'; detail: string; lastStoredRound: number | null };

/** `Drand.BeaconConfig` could not be read (`unreachable`, worth a retry) or is not a usable beacon (`malformed`). */
export class BeaconConfigError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

/** Blocks a crv3 commit waits at most for the next epoch when the reveal is too close (see planReveal). */
const TOO_CLOSE_WAIT_BLOCKS = 8;

/**
 * drand-timelocked weight commits, signed by the validator hotkey (chain-scoring-weights.md §5.6):
 * `commit_timelocked_weights` (v4 payload with the hotkey, version from `CommitRevealWeightsVersion`)
 * when the runtime has it, else `commit_crv3_weights` (v3 payload). The beacon (public key, genesis,
 * period) is the chain's `Drand.BeaconConfig`, drand quicknet when the runtime has no drand pallet.
 * The chain decrypts and applies the weights by itself when the pulse of the reveal round is stored;
 * `checkReveal` tells afterwards whether it did. Never throws: failures are typed like the other
 * weight extrinsics (`kind: 'precondition'` for what no retry can fix).
 */
@Injectable()
export class TimelockedWeightsService {
  private readonly logger = new Logger('TimelockedWeights');

  constructor(
    private readonly chain: ChainService,
    private readonly hotkey: ValidatorHotkey,
    private readonly clock: Clock,
  ) {}

  async support(): Promise<TimelockSupport> {
    return supportOf(await this.chain.api());
  }

  /** The beacon the chain reveals with. An unreadable BeaconConfig is an error, never a silent fallback. */
  async beacon(): Promise<DrandBeaconParams & { source: 'chain' | 'quicknet' }> {
    const api = await this.chain.api();
    if (!api.query.drand?.beaconConfig) return { ...QUICKNET, source: 'quicknet' };
    let raw: { publicKey?: string; period?: number; genesisTime?: number } | null;
    try {
      raw = (await api.query.drand.beaconConfig()).toJSON() as typeof raw;
    } catch (e) {
      throw new BeaconConfigError('unreachable', `could not read Drand.BeaconConfig from ${this.chain.endpoint}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const beacon = { publicKey: hexBytes(raw?.publicKey), genesisTime: Number(raw?.genesisTime), period: Number(raw?.period) };
    try {
      checkBeacon(beacon, 'Drand.BeaconConfig');
    } catch (e) {
      throw new BeaconConfigError('malformed', e instanceof Error ? e.message : String(e));
    }
    return { ...beacon, source: 'chain' };
  }

  /** Seconds per block: the runtime's Aura slot (12 on finney, like the reference's constant), else 12. */
  async blockTimeSeconds(): Promise<number> {
    const api = await this.chain.api();
    try {
      if (api.call.auraApi?.slotDuration) return Number((await api.call.auraApi.slotDuration()).toString()) / 1000;
    } catch (e) {
      this.logger.warn(`AuraApi.slot_duration failed (${e instanceof Error ? e.message : String(e)}); assuming the Timestamp pallet's minimum period × 2`);
    }
    const min = api.consts.timestamp?.minimumPeriod;
    return min ? (Number(min.toString()) * 2) / 1000 : 12;
  }

  /** Encrypts the weights to the reveal round and commits them; the ticket is what to persist. */
  async commit(weights: U16Weights, versionKey: bigint, opts: { timeoutMs?: number; onPlan?: (ticket: Omit<TimelockTicket, 'commitBlock'>) => Promise<void> } = {}): Promise<TimelockedCommitResult> {
    try {
      const api = await this.chain.api();
      const support = await supportOf(api);
      if (support.scheme === 'none') {
        return precondition(
          'TimelockUnsupported',
          `the connected runtime (spec ${support.specVersion}) has no drand timelocked commit (neither commit_timelocked_weights nor commit_crv3_weights): set DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED=true to use hash commit-reveal on this chain`,
        );
      }
      let beacon;
      try {
        beacon = await this.beacon();
      } catch (e) {
        if (e instanceof BeaconConfigError && e.reason === 'malformed') return precondition('DrandBeaconConfig', e.message);
        // unreachable: the submit loop retries with backoff
        return { ok: false, kind: 'rpc', error: 'DrandBeaconConfig', message: e instanceof Error ? e.message : String(e) };
      }
      const pair = this.hotkey.pair;
      const plan = await this.plan(support.scheme, beacon, opts.timeoutMs ?? 60_000);
      let tx;
      try {
        ({ call: tx } = await buildTimelockedCommit(api.tx.subtensorModule, {
          scheme: support.scheme,
          commitRevealVersion: support.scheme === 'crv4' ? support.commitRevealVersion : undefined,
          netuid: this.chain.netuid,
          hotkey: pair.publicKey,
          ...weights,
          versionKey,
          revealRound: plan.revealRound,
          beaconPublicKey: beacon.publicKey,
        }));
      } catch (e) {
        if (e instanceof CommitTooLargeError) return precondition('CommitTooLarge', e.message);
        throw e;
      }
      const call: TimelockedCall = support.scheme === 'crv4' ? 'commit_timelocked_weights' : 'commit_crv3_weights';
      const base = { ...plan, scheme: support.scheme, call, beaconSource: beacon.source };
      await opts.onPlan?.(base);
      const out = await submitExtrinsic(api, tx, pair, { timeoutMs: opts.timeoutMs, eraPeriod: 16 });
      if (!out.ok) return out;
      const header = await api.rpc.chain.getHeader(out.blockHash);
      return { ok: true, blockHash: out.blockHash, ticket: { ...base, commitBlock: header.number.toNumber() } };
    } catch (e) {
      return { ok: false, kind: 'rpc', error: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
    }
  }

  /** The reveal plan at the head; a crv3 reveal too close for a fresh pulse waits for the next epoch. */
  private async plan(scheme: TimelockScheme, beacon: DrandBeaconParams, timeoutMs: number): Promise<TimelockPlan> {
    const blockTimeSeconds = await this.blockTimeSeconds();
    const deadline = this.clock.now() + Math.min(timeoutMs / 2, TOO_CLOSE_WAIT_BLOCKS * blockTimeSeconds * 1000);
    for (;;) {
      const [head, hp] = await Promise.all([this.chain.head(), this.chain.hyperparameters()]);
      const plan = planReveal(scheme, {
        currentBlock: head.number,
        netuid: this.chain.netuid,
        tempo: hp.tempo,
        revealPeriodEpochs: hp.revealPeriodEpochs,
        nowSeconds: this.clock.now() / 1000,
        blockTimeSeconds,
        beacon,
      });
      if (!plan.tooClose || this.clock.now() >= deadline) return plan;
      await this.clock.sleep(Math.max(250, (blockTimeSeconds * 1000) / 2));
    }
  }

  /** Whether this hotkey's commit for `ticket` still waits in the chain's queue (commit landed, not yet revealed). */
  async isQueued(ticket: Pick<TimelockTicket, 'scheme' | 'commitEpoch' | 'revealRound'>): Promise<boolean> {
    const api = await this.chain.api();
    const me = this.hotkey.pair.address;
    const q = api.query.subtensorModule;
    const raw = ticket.scheme === 'crv4' ? await q.timelockedWeightCommits(this.chain.netuid, ticket.commitEpoch) : await q.crv3WeightCommits(this.chain.netuid, ticket.commitEpoch);
    const entries = (raw.toJSON() ?? []) as unknown[][];
    return entries.some((e) => e[0] === me && Number(e[e.length - 1]) === ticket.revealRound);
  }

  /**
   * After the reveal blocks: did the chain apply the commit? Evidence is the runtime's reveal event
   * for this hotkey (`CRV3WeightsRevealed` / `TimelockedWeightsRevealed`) in a reveal block, then
   * `Weights` read back at that block. Without an event: the pulse's presence names the likely cause.
   */
  async checkReveal(ticket: Pick<TimelockTicket, 'scheme' | 'revealRound' | 'commitEpoch' | 'firstRevealBlock' | 'lastRevealBlock'>, weights: U16Weights): Promise<RevealCheck> {
    const api = await this.chain.api();
    const head = await this.chain.head();
    if (head.number <= ticket.lastRevealBlock) return { state: 'pending', detail: `the chain reveals in blocks ${ticket.firstRevealBlock}..${ticket.lastRevealBlock} (head ${head.number})` };
    if (ticket.scheme === 'crv4' && (await this.isQueued(ticket))) {
      return { state: 'pending', detail: `still queued in TimelockedWeightCommits(${this.chain.netuid}, ${ticket.commitEpoch})` };
    }
    const me = this.hotkey.pair.address;
    const uid = await this.chain.uidOf(me);
    const eventName = ticket.scheme === 'crv4' ? 'TimelockedWeightsRevealed' : 'CRV3WeightsRevealed';
    let unreadable = false;
    for (let b = ticket.firstRevealBlock; b <= ticket.lastRevealBlock; b++) {
      let hash: string;
      let found = false;
      try {
        hash = (await api.rpc.chain.getBlockHash(b)).toHex();
        const events = await api.query.system.events.at(hash);
        found = events.some(({ event }) => event.section === 'subtensorModule' && event.method === eventName && event.data[1]?.toString() === me);
      } catch {
        unreadable = true; // state of old blocks pruned by the node
        break;
      }
      if (!found) continue;
      const onChain = uid === undefined ? [] : ((await api.query.subtensorModule.weights.at(hash, this.chain.netuid, uid)).toJSON() as [number, number][]);
      const weightsMatch = sameWeights(onChain, weights);
      return {
        state: 'applied',
        block: b,
        weightsMatch,
        onChain,
        detail: `${eventName} for this hotkey in block ${b}; Weights ${weightsMatch ? 'equal' : 'differ from'} the committed values`,
      };
    }
    const lastStoredRound = api.query.drand?.lastStoredRound ? Number((await api.query.drand.lastStoredRound()).toString()) : null;
    if (unreadable) {
      const onChain = uid === undefined ? [] : ((await api.query.subtensorModule.weights(this.chain.netuid, uid)).toJSON() as [number, number][]);
      if (sameWeights(onChain, weights)) {
        return { state: 'applied', block: head.number, weightsMatch: true, onChain, detail: `the reveal blocks' events are pruned; Weights at the head equal the committed values` };
      }
      return { state: 'not-applied', cause: 'unknown', lastStoredRound, detail: `the reveal blocks' events are pruned and Weights at the head differ from the committed values` };
    }
    const pulse = api.query.drand?.pulses ? (await api.query.drand.pulses(ticket.revealRound)).toJSON() : null;
    if (!pulse) {
      return {
        state: 'not-applied',
        cause: 'pulse-missing',
        lastStoredRound,
        detail: `the chain has no drand pulse for round ${ticket.revealRound} (Drand.LastStoredRound ${lastStoredRound ?? 'n/a'}), so it could not decrypt the commit in blocks ${ticket.firstRevealBlock}..${ticket.lastRevealBlock}`,
      };
    }
    return {
      state: 'not-applied',
      cause: 'dropped',
      lastStoredRound,
      detail: `the pulse of round ${ticket.revealRound} is on chain but no ${eventName} for this hotkey in blocks ${ticket.firstRevealBlock}..${ticket.lastRevealBlock}: the pulse came after the reveal, or the chain refused the payload (version key, rate limit, weights checks)`,
    };
  }
}

/** crv4 when the runtime has commit_timelocked_weights (version from storage; 4, the reference's, if it has none). */
async function supportOf(api: ApiPromise): Promise<TimelockSupport> {
  const tx = api.tx.subtensorModule;
  if (tx.commitTimelockedWeights) {
    const version = api.query.subtensorModule.commitRevealWeightsVersion;
    return { scheme: 'crv4', commitRevealVersion: version ? Number((await version()).toString()) : 4 };
  }
  if (tx.commitCrv3Weights) return { scheme: 'crv3' };
  return { scheme: 'none', specVersion: api.runtimeVersion.specVersion.toNumber() };
}

function precondition(error: string, message: string): WeightsFailure {
  return { ok: false, kind: 'precondition', error, message };
}

function hexBytes(v: unknown): Uint8Array {
  if (typeof v !== 'string' || !/^0x([0-9a-f]{2})*$/i.test(v)) return new Uint8Array();
  return Uint8Array.from(Buffer.from(v.slice(2), 'hex'));
}

/** The chain keeps the pairs as sent; a uid with weight 0 is the same as no entry. */
export function sameWeights(onChain: [number, number][], w: U16Weights): boolean {
  const a = new Map(onChain.filter(([, v]) => v > 0));
  const b = new Map(w.uids.map((u, i) => [u, w.values[i]] as [number, number]).filter(([, v]) => v > 0));
  return a.size === b.size && [...b].every(([u, v]) => a.get(u) === v);
}
