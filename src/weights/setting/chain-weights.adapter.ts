import { Injectable } from '@nestjs/common';
import { ChainService } from '../../chain/chain.service';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { weightsCommitHash } from '../../chain/weights/commit-hash';
import { TimelockedWeightsService } from '../../chain/weights/timelocked-weights.service';
import { WeightsExtrinsicsService } from '../../chain/weights/weights-extrinsics.service';
import {
  ChainBlock,
  PendingCommit,
  RevealVerdict,
  SubmitOutcome,
  TimelockedSubmitOutcome,
  TimelockRecord,
  WeightsChainPort,
  WeightsChainState,
  WeightsPayload,
} from './weights-chain.port';

/** "Priority too low to replace": the same transaction is already in the pool (reference: success). */
const ALREADY_IN_POOL = /\b1014\b/;

type ExtrinsicResult = { ok: true; blockHash: string } | { ok: false; kind: string; error: string; message: string };

const schemeOf = (r: TimelockRecord) => (r.path === 'commit_timelocked_weights' ? ('crv4' as const) : ('crv3' as const));

function toOutcome(out: ExtrinsicResult): SubmitOutcome {
  if (out.ok) return { ok: true, message: `in block ${out.blockHash}` };
  if (ALREADY_IN_POOL.test(out.message)) return { ok: true, message: 'transaction already in the pool' };
  return { ok: false, timeout: out.kind === 'timeout', final: out.kind === 'precondition', message: out.message || out.error };
}

/** WeightsChainPort over ChainService (reads) and WeightsExtrinsicsService (signed extrinsics). */
@Injectable()
export class ChainWeightsAdapter extends WeightsChainPort {
  constructor(
    private readonly chain: ChainService,
    private readonly extrinsics: WeightsExtrinsicsService,
    private readonly hotkey: ValidatorHotkey,
    private readonly timelocked: TimelockedWeightsService,
  ) {
    super();
  }

  head(): Promise<ChainBlock> {
    return this.chain.head();
  }

  async state(at: ChainBlock): Promise<WeightsChainState> {
    const [metagraph, hp] = await Promise.all([this.chain.metagraph(at), this.chain.hyperparameters(at)]);
    return {
      neurons: metagraph.neurons.map((n) => ({ hotkey: n.hotkey, uid: n.uid })),
      limits: { minAllowedWeights: hp.minAllowedWeights, maxWeightsLimit: hp.maxWeightsLimit },
      commitRevealEnabled: hp.commitRevealEnabled,
    };
  }

  async setWeights(p: WeightsPayload): Promise<SubmitOutcome> {
    return toOutcome(await this.extrinsics.setWeights({ uids: p.uids, values: p.values }, p.versionKey));
  }

  async commitWeights(p: WeightsPayload, salt: number[]): Promise<SubmitOutcome & { commitHash?: string }> {
    const out = await this.extrinsics.commitWeights({ uids: p.uids, values: p.values }, p.versionKey, { salt });
    return out.ok ? { ok: true, message: `in block ${out.blockHash}`, commitHash: out.ticket.commitHash } : toOutcome(out);
  }

  async revealWeights(p: WeightsPayload, salt: number[]): Promise<SubmitOutcome> {
    const ticket = { uids: p.uids, values: p.values, salt, versionKey: p.versionKey, commitHash: this.commitHash(p, salt), commitBlock: 0 };
    return toOutcome(await this.extrinsics.revealWeights(ticket));
  }

  async pendingCommits(): Promise<PendingCommit[]> {
    return (await this.extrinsics.pendingCommits()).map((c) => ({ commitHash: c.commitHash, firstRevealBlock: c.firstRevealBlock, lastRevealBlock: c.lastRevealBlock }));
  }

  commitHash(p: WeightsPayload, salt: number[]): string {
    return weightsCommitHash(this.hotkey.pair.publicKey, this.chain.netuid, { uids: p.uids, values: p.values }, salt, p.versionKey);
  }

  async commitTimelocked(p: WeightsPayload, onPlan: (record: TimelockRecord) => Promise<void>): Promise<TimelockedSubmitOutcome> {
    const out = await this.timelocked.commit({ uids: p.uids, values: p.values }, p.versionKey, {
      onPlan: (t) => onPlan({ path: t.call, revealRound: t.revealRound, commitEpoch: t.commitEpoch, firstRevealBlock: t.firstRevealBlock, lastRevealBlock: t.lastRevealBlock }),
    });
    if (!out.ok) return toOutcome(out) as Extract<SubmitOutcome, { ok: false }>;
    const t = out.ticket;
    return {
      ok: true,
      message: `in block ${out.blockHash}`,
      block: t.commitBlock,
      record: { path: t.call, revealRound: t.revealRound, commitEpoch: t.commitEpoch, firstRevealBlock: t.firstRevealBlock, lastRevealBlock: t.lastRevealBlock },
    };
  }

  timelockedQueued(r: TimelockRecord): Promise<boolean> {
    return this.timelocked.isQueued({ scheme: schemeOf(r), commitEpoch: r.commitEpoch, revealRound: r.revealRound });
  }

  async checkTimelockedReveal(r: TimelockRecord, p: WeightsPayload): Promise<RevealVerdict> {
    const check = await this.timelocked.checkReveal({ ...r, scheme: schemeOf(r) }, { uids: p.uids, values: p.values });
    return check.state === 'applied' ? { state: 'applied', block: check.block, weightsMatch: check.weightsMatch, detail: check.detail } : check;
  }
}
