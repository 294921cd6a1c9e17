import { Injectable } from '@nestjs/common';
import { ChainService } from '../chain.service';
import { ExtrinsicFailure, submitExtrinsic } from '../extrinsics';
import { ValidatorHotkey } from '../validator-hotkey';
import { randomSalt, weightsCommitHash } from './commit-hash';
import { TimelockedWeightsService, TimelockTicket } from './timelocked-weights.service';

/** uid → u16 weight, in the order they are sent. */
export interface U16Weights {
  uids: number[];
  values: number[];
}

/** What a hash commit needs to be revealed later; the caller persists it (reference: the Weights row). */
export interface RevealTicket extends U16Weights {
  salt: number[];
  versionKey: bigint;
  commitHash: string;
  /** Head when the commit was sent. */
  commitBlock: number;
}

/** A weight extrinsic that did not take effect; `precondition`: refused before sending (no retry helps). */
export type WeightsFailure = Omit<ExtrinsicFailure, 'ok' | 'kind'> & { ok: false; kind: ExtrinsicFailure['kind'] | 'precondition' };

export type SetWeightsResult = { ok: true; blockHash: string } | WeightsFailure;
export type CommitResult = { ok: true; blockHash: string; ticket: RevealTicket } | WeightsFailure;

/**
 * One way of getting weights onto the chain. `submit` either sets them (done) or commits them
 * (the returned ticket must be revealed in the reveal window, unless the chain reveals by itself).
 */
export interface WeightsScheme {
  readonly name: 'set_weights' | 'hash_commit_reveal' | 'timelocked_commit';
  submit(weights: U16Weights, versionKey: bigint): Promise<
    | { ok: true; blockHash: string; committed: false }
    | { ok: true; blockHash: string; committed: true; ticket?: RevealTicket; timelock?: TimelockTicket }
    | WeightsFailure
  >;
}

/** The reveal window of a pending hash commit, as the chain stores it in WeightCommits. */
export interface PendingCommit {
  commitHash: string;
  commitBlock: number;
  firstRevealBlock: number;
  lastRevealBlock: number;
}

/**
 * Weight extrinsics signed by the validator hotkey: set_weights, and the hash commit-reveal pair
 * (commit_weights / reveal_weights). Results are typed; nothing throws for a chain refusal, and
 * nothing is recorded here: the caller (WeightsModule) records the system events.
 */
@Injectable()
export class WeightsExtrinsicsService {
  constructor(
    private readonly chain: ChainService,
    private readonly hotkey: ValidatorHotkey,
    private readonly timelocked: TimelockedWeightsService,
  ) {}

  /** SubtensorModule.set_weights(netuid, dests, weights, version_key). Refused while commit-reveal is on. */
  async setWeights(weights: U16Weights, versionKey: bigint, opts: { timeoutMs?: number } = {}): Promise<SetWeightsResult> {
    return this.guard(async () => {
      checkWeights(weights);
      const api = await this.chain.api();
      const tx = api.tx.subtensorModule.setWeights(this.chain.netuid, weights.uids, weights.values, versionKey);
      const out = await submitExtrinsic(api, tx, this.hotkey.pair, { timeoutMs: opts.timeoutMs });
      return out.ok ? { ok: true, blockHash: out.blockHash } : out;
    });
  }

  /** SubtensorModule.commit_weights(netuid, hash) with a fresh salt; returns the ticket to reveal. */
  async commitWeights(weights: U16Weights, versionKey: bigint, opts: { salt?: number[]; timeoutMs?: number } = {}): Promise<CommitResult> {
    return this.guard(async () => {
      checkWeights(weights);
      const salt = opts.salt ?? randomSalt();
      const pair = this.hotkey.pair;
      const commitHash = weightsCommitHash(pair.publicKey, this.chain.netuid, weights, salt, versionKey);
      const api = await this.chain.api();
      const commitBlock = await this.chain.currentBlock();
      const tx = api.tx.subtensorModule.commitWeights(this.chain.netuid, commitHash);
      const out = await submitExtrinsic(api, tx, pair, { timeoutMs: opts.timeoutMs, eraPeriod: 16 });
      if (!out.ok) return out;
      return { ok: true, blockHash: out.blockHash, ticket: { uids: [...weights.uids], values: [...weights.values], salt, versionKey, commitHash, commitBlock } };
    });
  }

  /** SubtensorModule.reveal_weights(netuid, uids, values, salt, version_key) for a ticket. */
  async revealWeights(ticket: RevealTicket, opts: { timeoutMs?: number } = {}): Promise<SetWeightsResult> {
    return this.guard(async () => {
      const api = await this.chain.api();
      const tx = api.tx.subtensorModule.revealWeights(this.chain.netuid, ticket.uids, ticket.values, ticket.salt, ticket.versionKey);
      const out = await submitExtrinsic(api, tx, this.hotkey.pair, { timeoutMs: opts.timeoutMs, eraPeriod: 16 });
      return out.ok ? { ok: true, blockHash: out.blockHash } : out;
    });
  }

  /** This validator's unrevealed hash commits on the subnet (WeightCommits), oldest first. */
  async pendingCommits(): Promise<PendingCommit[]> {
    const api = await this.chain.api();
    const raw = await api.query.subtensorModule.weightCommits(this.chain.netuid, this.hotkey.pair.address);
    const json = raw.toJSON() as [string, number, number, number][] | null;
    return (json ?? []).map(([commitHash, commitBlock, firstRevealBlock, lastRevealBlock]) => ({
      commitHash,
      commitBlock: Number(commitBlock),
      firstRevealBlock: Number(firstRevealBlock),
      lastRevealBlock: Number(lastRevealBlock),
    }));
  }

  /**
   * The scheme for the subnet: set_weights while its commit-reveal is off; with it on, the drand
   * timelocked commit when `timelocked` (the reference's DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED=false),
   * else the hash commit.
   */
  async schemeForChain(opts: { timelocked?: boolean } = {}): Promise<WeightsScheme> {
    const params = await this.chain.hyperparameters();
    if (!params.commitRevealEnabled) return new DirectSetWeightsScheme(this);
    return opts.timelocked ? new TimelockedCommitScheme(this.timelocked) : new HashCommitRevealScheme(this);
  }

  /** Key and connection problems become typed failures too, with their own clear message. */
  private async guard<T>(fn: () => Promise<T>): Promise<T | WeightsFailure> {
    try {
      return await fn();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const name = e instanceof Error ? e.name : 'Error';
      return { ok: false, kind: 'rpc', error: name, message };
    }
  }
}

function checkWeights(w: U16Weights): void {
  if (w.uids.length !== w.values.length) throw new Error(`uids (${w.uids.length}) and values (${w.values.length}) differ in length`);
  for (const v of [...w.uids, ...w.values]) if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`not a u16: ${v}`);
}

/** Commit-reveal off: weights go straight on chain. */
export class DirectSetWeightsScheme implements WeightsScheme {
  readonly name = 'set_weights' as const;
  constructor(private readonly extrinsics: WeightsExtrinsicsService) {}
  async submit(weights: U16Weights, versionKey: bigint) {
    const out = await this.extrinsics.setWeights(weights, versionKey);
    return out.ok ? { ...out, committed: false as const } : out;
  }
}

/** Commit-reveal v2 (hash): commit now; the caller reveals the ticket in the reveal window. */
export class HashCommitRevealScheme implements WeightsScheme {
  readonly name = 'hash_commit_reveal' as const;
  constructor(private readonly extrinsics: WeightsExtrinsicsService) {}
  async submit(weights: U16Weights, versionKey: bigint) {
    const out = await this.extrinsics.commitWeights(weights, versionKey);
    return out.ok ? { ok: true as const, blockHash: out.blockHash, committed: true as const, ticket: out.ticket } : out;
  }
}

/** Commit-reveal v3/v4 (drand timelock): commit now; the chain reveals by itself at the ticket's reveal round. */
export class TimelockedCommitScheme implements WeightsScheme {
  readonly name = 'timelocked_commit' as const;
  constructor(private readonly timelocked: TimelockedWeightsService) {}
  async submit(weights: U16Weights, versionKey: bigint) {
    const out = await this.timelocked.commit(weights, versionKey);
    return out.ok ? { ok: true as const, blockHash: out.blockHash, committed: true as const, timelock: out.ticket } : out;
  }
}
