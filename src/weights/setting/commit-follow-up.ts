import { Logger } from '@nestjs/common';
import type { Clock } from '../../config/clock';
import type { SystemEventsService } from '../../observability/system-events/system-events.service';
import { canRevealAt, CommitRevealParams, revealRangeFor } from '../engine';
import type { WeightsRow } from '../persistence/weights.entity';
import { describe, recordEvent, timelockEventData, timelockRecordOf, withTimeout } from './round-support';
import type { SubmitOutcome, WeightsChainPort } from './weights-chain.port';
import type { WeightsStore } from './weights.store';

export type RevealOutcome = 'not-serving' | 'nothing-to-reveal' | 'wait' | 'expired' | 'busy' | 'revealed' | 'not-applied' | 'failed' | 'chain-unavailable' | 'error';

export interface RevealResult {
  outcome: RevealOutcome;
  head?: number;
  row?: WeightsRow;
  detail?: string;
  /** Older committed rows given their final state in this run (id → status). */
  settled?: { id: string; status: string }[];
}

export interface RevealTimings {
  revealAttempts: number;
  revealBackoffMs: number;
  revealTimeoutMs: number;
}

/**
 * What happens to a commit after it landed (`reveal_scores`, every minute):
 * - hash commits: the newest is revealed in its reveal window (reference); an older one, or one whose
 *   window passed (e.g. while the validator was down), gets the final state `expired` and an event;
 * - timelocked commits: the chain reveals them by itself; once their reveal blocks passed, the chain
 *   is asked whether it applied them (`revealed`) or not (`not_applied`, with the likely cause).
 * No committed row stays `committed` without a record once its window is over.
 */
export class CommitFollowUp {
  private readonly logger = new Logger('WeightSetting');

  constructor(
    private readonly chain: WeightsChainPort,
    private readonly store: WeightsStore,
    private readonly events: SystemEventsService,
    private readonly clock: Clock,
  ) {}

  async run(head: number, params: CommitRevealParams, timings: RevealTimings): Promise<RevealResult> {
    const newest = await this.store.newest();
    const settled: { id: string; status: string }[] = [];
    for (const row of await this.store.committed()) {
      if (row.id === newest?.id) continue;
      const status = row.mode === 'timelocked' ? (await this.followTimelocked(row, head)).row?.status : await this.expireOlderHashCommit(row, head, params);
      if (status && status !== 'committed') settled.push({ id: row.id, status });
    }
    const withSettled = (r: RevealResult): RevealResult => (settled.length ? { ...r, settled } : r);
    if (!newest || newest.status !== 'committed' || newest.block === null) return withSettled({ outcome: 'nothing-to-reveal', head });
    if (newest.mode === 'timelocked') return withSettled(await this.followTimelocked(newest, head));
    if (newest.mode !== 'commit_reveal') return withSettled({ outcome: 'nothing-to-reveal', head });
    const gate = canRevealAt(head, Number(newest.block), params);
    if (gate === 'wait') return withSettled({ outcome: 'wait', head, row: newest });
    if (gate === 'expired') {
      const range = revealRangeFor(Number(newest.block), params);
      return withSettled(await this.expire(newest, head, `its reveal window (heads ${range.start}..${range.stop - 1}) passed without a reveal`));
    }
    return withSettled(await this.reveal(newest.id, head, params, timings));
  }

  /** A hash commit that is not the newest can never be revealed (the reference reveals only the newest). */
  private async expireOlderHashCommit(row: WeightsRow, head: number, params: CommitRevealParams): Promise<string> {
    const range = revealRangeFor(Number(row.block ?? row.scoredAtBlock), params);
    const reason =
      canRevealAt(head, Number(row.block ?? row.scoredAtBlock), params) === 'expired'
        ? `its reveal window (heads ${range.start}..${range.stop - 1}) passed without a reveal`
        : 'weights of a newer cycle were committed first, and only the newest commit is revealed';
    return (await this.expire(row, head, reason)).row?.status ?? 'expired';
  }

  private async expire(row: WeightsRow, head: number, reason: string): Promise<RevealResult> {
    this.logger.error({ weightsId: row.id, commitBlock: row.block?.toString(), head }, `hash commit not revealed: ${reason}`);
    await this.store.update(row.id, { status: 'expired', lastError: reason });
    await recordEvent(this.events, 'WEIGHT_SETTING_FAILURE', 'COMMIT_WEIGHTS_UNREVEALED_ERROR', `weights committed at block ${row.block} were not revealed: ${reason}`, {
      weights_id: Number(row.id),
      path: 'commit_weights',
      commit_block: row.block === null ? null : Number(row.block),
      current_block: head,
    });
    return { outcome: 'expired', head, row: (await this.store.findById(row.id)) ?? row, detail: reason };
  }

  /** After the chain's reveal blocks: applied (`revealed`) or not (`not_applied`), each with an event. */
  private async followTimelocked(row: WeightsRow, head: number): Promise<RevealResult> {
    const record = timelockRecordOf(row);
    if (!record) {
      const reason = 'the row holds no reveal round, so the commit cannot be followed up';
      await this.store.update(row.id, { status: 'not_applied', lastError: reason });
      await recordEvent(this.events, 'WEIGHT_SETTING_FAILURE', 'COMMIT_WEIGHTS_UNREVEALED_ERROR', reason, { weights_id: Number(row.id), cause: 'unknown' });
      return { outcome: 'not-applied', head, row, detail: reason };
    }
    if (head <= record.lastRevealBlock) return { outcome: 'wait', head, row, detail: `the chain reveals in blocks ${record.firstRevealBlock}..${record.lastRevealBlock}` };
    const verdict = await this.chain.checkTimelockedReveal(record, { uids: row.uids, values: row.weights, versionKey: row.versionKey });
    if (verdict.state === 'pending') return { outcome: 'wait', head, row, detail: verdict.detail };
    const data = timelockEventData(row, record);
    if (verdict.state === 'applied') {
      await this.store.update(row.id, { status: 'revealed', revealedAt: this.clock.nowDate(), lastError: verdict.weightsMatch ? null : verdict.detail });
      await recordEvent(this.events, 'WEIGHT_SETTING_SUCCESS', 'REVEAL_WEIGHTS_SUCCESS', `revealed by the chain: ${verdict.detail}`, { ...data, block: verdict.block });
      if (!verdict.weightsMatch) {
        await recordEvent(this.events, 'WEIGHT_SETTING_FAILURE', 'REVEAL_WEIGHTS_ERROR', verdict.detail, { ...data, block: verdict.block, current_block: head });
      }
      return { outcome: 'revealed', head, row: (await this.store.findById(row.id)) ?? row, detail: verdict.detail };
    }
    this.logger.error({ weightsId: row.id, revealRound: record.revealRound, cause: verdict.cause }, `timelocked weights not applied by the chain: ${verdict.detail}`);
    await this.store.update(row.id, { status: 'not_applied', lastError: verdict.detail });
    await recordEvent(this.events, 'WEIGHT_SETTING_FAILURE', 'COMMIT_WEIGHTS_UNREVEALED_ERROR', `timelocked weights not applied by the chain: ${verdict.detail}`, {
      ...data,
      cause: verdict.cause,
      last_stored_round: verdict.lastStoredRound,
      current_block: head,
    });
    return { outcome: 'not-applied', head, row: (await this.store.findById(row.id)) ?? row, detail: verdict.detail };
  }

  /** reveal_weights for the newest hash commit, with the reference's attempts and events. */
  private async reveal(id: string, head: number, params: CommitRevealParams, t: RevealTimings): Promise<RevealResult> {
    const row = await this.store.findById(id);
    if (!row || row.status !== 'committed' || row.block === null) return { outcome: 'nothing-to-reveal', head };
    const payload = { uids: row.uids, values: row.weights, versionKey: row.versionKey };
    const onChain = (await this.chain.pendingCommits()).find((c) => c.commitHash === row.commitHash);
    if (!onChain) {
      // Not pending on chain: revealed by an earlier attempt whose result was lost, or gone.
      if (row.revealAttempts > 0) {
        await this.store.update(row.id, { status: 'revealed', revealedAt: this.clock.nowDate() });
        return { outcome: 'revealed', head, row: (await this.store.findById(row.id)) ?? row };
      }
      return this.expire(row, head, 'the chain no longer holds the commit (WeightCommits) and it was never revealed');
    }
    await this.store.update(row.id, { firstRevealBlock: BigInt(onChain.firstRevealBlock), lastRevealBlock: BigInt(onChain.lastRevealBlock) });
    // The chain's own reveal range for the commit: never send a reveal it must refuse.
    if (head < onChain.firstRevealBlock) return { outcome: 'wait', head, row, detail: `the chain accepts the reveal from block ${onChain.firstRevealBlock}` };
    if (head > onChain.lastRevealBlock) return this.expire(row, head, `the chain accepted the reveal until block ${onChain.lastRevealBlock}`);
    const revealable = (block: number) => canRevealAt(block, Number(row.block), params) === 'reveal' && block >= onChain.firstRevealBlock && block <= onChain.lastRevealBlock;
    let attempts = row.revealAttempts;
    let current = head;
    const failure = (subtype: 'WRITING_TO_CHAIN_GENERIC_ERROR' | 'WRITING_TO_CHAIN_TIMEOUT' | 'REVEAL_WEIGHTS_ERROR' | 'GIVING_UP', description: string, data: Record<string, unknown>) =>
      recordEvent(this.events, 'WEIGHT_SETTING_FAILURE', subtype, description, data);
    for (let n = 0; n < t.revealAttempts; n++) {
      if (n > 0) {
        current = await this.chain.head().then((h) => h.number, () => current);
        if (!revealable(current)) break;
      }
      attempts += 1;
      await this.store.update(row.id, { revealAttempts: attempts });
      let outcome: SubmitOutcome | 'timeout';
      try {
        outcome = await withTimeout(this.clock, this.chain.revealWeights(payload, row.salt), t.revealTimeoutMs);
      } catch (e) {
        await failure('WRITING_TO_CHAIN_GENERIC_ERROR', describe(e), { try_number: n, operation: 'revealing' });
        continue;
      }
      if (outcome === 'timeout' || (!outcome.ok && outcome.timeout)) {
        await failure('WRITING_TO_CHAIN_TIMEOUT', `no result within ${t.revealTimeoutMs} ms`, { try_number: n, operation: 'revealing' });
        continue;
      }
      if (outcome.ok) {
        await this.store.update(row.id, { status: 'revealed', revealedAt: this.clock.nowDate(), lastError: null });
        await recordEvent(this.events, 'WEIGHT_SETTING_SUCCESS', 'REVEAL_WEIGHTS_SUCCESS', outcome.message, { weights_id: Number(row.id), path: 'reveal_weights' });
        return { outcome: 'revealed', head: current, row: (await this.store.findById(row.id)) ?? row };
      }
      await this.store.update(row.id, { lastError: outcome.message });
      await failure('REVEAL_WEIGHTS_ERROR', outcome.message, { weights_id: Number(row.id), current_block: current });
      await this.clock.sleep(t.revealBackoffMs);
    }
    await failure('GIVING_UP', `Failed to reveal weights after ${attempts} attempts`, { try_number: attempts, operation: 'revealing' });
    return { outcome: 'failed', head: current, row: (await this.store.findById(row.id)) ?? row, detail: 'every reveal attempt failed' };
  }
}
