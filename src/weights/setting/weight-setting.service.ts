import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import type { SystemEventSubtype, SystemEventType } from '../../observability/system-events/system-event.types';
import {
  CommitRevealInterval,
  CommitRevealParams,
  contains,
  cyclesForScoring,
  scoresToUidWeights,
  u16ForCommit,
  u16ForSetWeights,
  type HotkeyScores,
} from '../engine';
import type { WeightsMode, WeightsPath, WeightsRow } from '../persistence/weights.entity';
import { CycleScorer } from '../scoring-inputs/cycle-scorer';
import { ScoringInputsRepository } from '../scoring-inputs/scoring-inputs.repository';
import {
  MAX_WEIGHT,
  REVEAL_LOCK,
  SCORING_ALGO_VERSION,
  SET_SCORES_LOCK,
  WEIGHT_REVEALING_ATTEMPTS,
  WEIGHT_REVEALING_FAILURE_BACKOFF_MS,
  WEIGHT_REVEALING_TTL_MS,
  WEIGHT_SETTING_ATTEMPTS,
  WEIGHT_SETTING_FAILURE_BACKOFF_MS,
  WEIGHT_SETTING_TTL_MS,
} from './constants';
import { CommitFollowUp, RevealResult } from './commit-follow-up';
import { describe, message, timelockEventData, timelockRecordOf, withTimeout } from './round-support';
import { ChainBlock, SubmitOutcome, TimelockedSubmitOutcome, TimelockRecord, WeightsChainPort } from './weights-chain.port';
import { WeightsStore } from './weights.store';

export type { RevealOutcome, RevealResult } from './commit-follow-up';

export type SetScoresOutcome =
  | 'not-serving'
  | 'chain-unavailable'
  | 'outside-window'
  | 'busy'
  | 'no-batch'
  | 'already-set'
  | 'set'
  | 'committed'
  | 'skipped'
  | 'failed'
  | 'error';

export interface SetScoresResult {
  outcome: SetScoresOutcome;
  head?: number;
  detail?: string;
  row?: WeightsRow;
}

/** Tuning of the submit loops; the reference's values by default, shorter in tests. */
export interface WeightSettingTimings {
  attempts: number;
  backoffMs: number;
  attemptTimeoutMs: number;
  revealAttempts: number;
  revealBackoffMs: number;
  revealTimeoutMs: number;
}

export const REFERENCE_WEIGHT_SETTING_TIMINGS: WeightSettingTimings = {
  attempts: WEIGHT_SETTING_ATTEMPTS,
  backoffMs: WEIGHT_SETTING_FAILURE_BACKOFF_MS,
  attemptTimeoutMs: WEIGHT_SETTING_TTL_MS,
  revealAttempts: WEIGHT_REVEALING_ATTEMPTS,
  revealBackoffMs: WEIGHT_REVEALING_FAILURE_BACKOFF_MS,
  revealTimeoutMs: WEIGHT_REVEALING_TTL_MS,
};

const SETTING_OPERATION = 'setting/committing';

/**
 * `set_scores` and `reveal_scores` of the synthetic-era reference (scoring-synthetic-era.md §6):
 * once per cycle, with a started batch whose cycle has ended: score the cycle, turn the scores into
 * uid weights with the burn, store them, and put them on chain. The path: set_weights while the
 * subnet's commit-reveal is off; with it on, DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED true -> hash commit
 * inside the commit window and a later reveal (path A), false -> drand-timelocked commit that the
 * chain reveals by itself (path B). Every attempt, success and failure is a system event.
 */
@Injectable()
export class WeightSettingService {
  private readonly logger = new Logger('WeightSetting');
  timings: WeightSettingTimings = REFERENCE_WEIGHT_SETTING_TIMINGS;

  constructor(
    private readonly chain: WeightsChainPort,
    private readonly scorer: CycleScorer,
    private readonly inputs: ScoringInputsRepository,
    private readonly store: WeightsStore,
    private readonly events: SystemEventsService,
    private readonly dynamicConfig: DynamicConfigService,
    private readonly runner: ExclusiveRunner,
    private readonly clock: Clock,
  ) {
    this.followUp = new CommitFollowUp(chain, store, events, clock);
  }

  private readonly followUp: CommitFollowUp;

  async commitRevealParams(): Promise<CommitRevealParams> {
    const [interval, commitStartOffset, commitEndBuffer, revealEndBuffer] = await Promise.all([
      this.dynamicConfig.get('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL'),
      this.dynamicConfig.get('DYNAMIC_COMMIT_REVEAL_COMMIT_START_OFFSET'),
      this.dynamicConfig.get('DYNAMIC_COMMIT_REVEAL_COMMIT_END_BUFFER'),
      this.dynamicConfig.get('DYNAMIC_COMMIT_REVEAL_REVEAL_END_BUFFER'),
    ]);
    return { interval, commitStartOffset, commitEndBuffer, revealEndBuffer };
  }

  /** One `set_scores` run (cron every minute; `validator-cli debug-set-scores`). Never throws. */
  async setScores(): Promise<SetScoresResult> {
    if (!(await this.dynamicConfig.get('SERVING'))) return { outcome: 'not-serving' };
    let head: ChainBlock;
    try {
      head = await this.chain.head();
    } catch (e) {
      await this.failure('SUBTENSOR_CONNECTIVITY_ERROR', describe(e), {});
      return { outcome: 'chain-unavailable', detail: message(e) };
    }
    const gated = await this.dynamicConfig.get('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED');
    const params = await this.commitRevealParams();
    const window = new CommitRevealInterval(head.number, params).commitWindow;
    if (gated && !contains(window, head.number)) {
      return { outcome: 'outside-window', head: head.number, detail: `commit window is [${window.start}, ${window.stop})` };
    }
    const ran = await this.runner.runExclusive(SET_SCORES_LOCK, async () => {
      try {
        return await this.round(head, gated, params);
      } catch (e) {
        this.logger.error({ err: e }, 'weight setting failed');
        await this.failure('GENERIC_ERROR', describe(e), {});
        return { outcome: 'error' as const, head: head.number, detail: message(e) };
      }
    });
    return ran.ran ? ran.value : { outcome: 'busy', head: head.number, detail: ran.reason };
  }

  private async round(head: ChainBlock, gated: boolean, params: CommitRevealParams): Promise<SetScoresResult> {
    const newest = await this.store.newest();
    if (newest?.status === 'pending') {
      const sameWindow = new CommitRevealInterval(Number(newest.scoredAtBlock), params).start === new CommitRevealInterval(head.number, params).start;
      if (sameWindow) return this.submit(newest, head, gated, params);
      await this.store.update(newest.id, { status: 'failed', lastError: 'the commit window passed before the weights landed' });
      await this.failure('GIVING_UP', 'the commit window passed before the weights landed', { try_number: newest.attempts, operation: SETTING_OPERATION });
    }

    const batch = await this.inputs.batchForScoring(head.number, this.clock.nowDate());
    if (!batch) return { outcome: 'no-batch', head: head.number, detail: 'no started, unscored batch whose cycle has ended' };
    const done = await this.store.findForCycle(batch.cycleStart, batch.cycleStop);
    if (done) {
      await this.inputs.markBatchesScored([batch.batchId, ...batch.supersededBatchIds]);
      return { outcome: 'already-set', head: head.number, row: done };
    }

    let state;
    try {
      state = await this.chain.state(head);
    } catch (e) {
      await this.failure('SUBTENSOR_CONNECTIVITY_ERROR', describe(e), {});
      return { outcome: 'chain-unavailable', head: head.number, detail: message(e) };
    }

    const keys = cyclesForScoring(head.number);
    let scores: HotkeyScores;
    try {
      scores = await this.scorer.scoreCycle({
        cycle: { id: batch.cycleId, start: batch.cycleStart, stop: batch.cycleStop },
        currentCycleStart: keys.current,
        previousCycleStart: keys.previous,
      });
    } catch (e) {
      // Reference: any error while scoring leaves the scores empty (weights then carry only the burn).
      this.logger.error({ err: e }, 'scoring failed; continuing with empty scores');
      scores = new Map();
    }

    const [targets, rate, partition] = await Promise.all([
      this.dynamicConfig.get('DYNAMIC_BURN_TARGET_SS58ADDRESSES'),
      this.dynamicConfig.get('DYNAMIC_BURN_RATE'),
      this.dynamicConfig.get('DYNAMIC_BURN_PARTITION'),
    ]);
    const uidWeights = scoresToUidWeights(scores, state.neurons, state.limits, { targets, rate, partition }, batch.cycleStart);
    await this.events.record({ type: 'BURNING_INCENTIVE', subtype: uidWeights.burn.subtype, data: uidWeights.burn.data });

    // Commit-reveal off on the subnet: set_weights (the reference would fail; see README deviations).
    const mode: WeightsMode = !state.commitRevealEnabled ? 'set_weights' : gated ? 'commit_reveal' : 'timelocked';
    const allZero = !uidWeights.weights.some((w) => w > 0);
    const values = allZero ? uidWeights.weights.map(() => 0) : mode === 'commit_reveal' ? u16ForCommit(uidWeights.weights, MAX_WEIGHT) : u16ForSetWeights(uidWeights.weights);
    const salt = mode === 'commit_reveal' ? [...randomBytes(8)] : [];
    const payload = { uids: uidWeights.uids, values, versionKey: SCORING_ALGO_VERSION };
    const row = await this.store.insertAndMarkScored(
      {
        cycleStart: BigInt(batch.cycleStart),
        cycleStop: BigInt(batch.cycleStop),
        batchId: batch.batchId,
        scoredAtBlock: BigInt(head.number),
        mode,
        status: allZero ? 'skipped' : 'pending',
        uids: payload.uids,
        weights: values,
        floatWeights: uidWeights.weights,
        scores: Object.fromEntries(scores),
        salt,
        versionKey: SCORING_ALGO_VERSION,
        commitHash: mode === 'commit_reveal' && !allZero ? this.chain.commitHash(payload, salt) : null,
      },
      [batch.batchId, ...batch.supersededBatchIds],
    );
    if (!row) {
      const other = await this.store.findForCycle(batch.cycleStart, batch.cycleStop);
      return { outcome: 'already-set', head: head.number, row: other ?? undefined };
    }
    if (allZero) {
      // The reference would fail 100 times dividing by zero; one event says the same.
      await this.failure('GIVING_UP', 'all weights are zero: nothing to submit', { try_number: 0, operation: SETTING_OPERATION });
      return { outcome: 'skipped', head: head.number, row };
    }
    return this.submit(row, head, gated, params);
  }

  /** The submit loop: attempts with backoff while the commit window lasts (scoring-synthetic-era.md §6.6). */
  private async submit(row: WeightsRow, head: ChainBlock, gated: boolean, params: CommitRevealParams): Promise<SetScoresResult> {
    const payload = { uids: row.uids, values: row.weights, versionKey: row.versionKey };
    const window = new CommitRevealInterval(head.number, params).commitWindow;

    if (row.attempts > 0) {
      // A previous process may have committed before it could record it: the chain knows. A check
      // that fails is recorded and the row stays pending (sending again could commit twice).
      const resumed = await this.findLandedCommit(row, head.number);
      if (resumed) return resumed;
    }

    let attempts = row.attempts;
    let current = head.number;
    while (attempts < this.timings.attempts) {
      if (attempts > row.attempts) {
        try {
          current = (await this.chain.head()).number;
        } catch {
          /* keep the last known head */
        }
        if (gated && !contains(window, current)) break;
      }
      const tryNumber = attempts;
      attempts += 1;
      await this.store.update(row.id, { attempts });
      let outcome: SubmitOutcome | TimelockedSubmitOutcome | 'timeout';
      try {
        outcome = await withTimeout(this.clock, this.attempt(row, payload), this.timings.attemptTimeoutMs);
      } catch (e) {
        await this.store.update(row.id, { lastError: message(e) });
        await this.failure('WRITING_TO_CHAIN_GENERIC_ERROR', describe(e), { try_number: tryNumber, operation: SETTING_OPERATION });
        continue;
      }
      if (outcome === 'timeout' || (!outcome.ok && outcome.timeout)) {
        await this.store.update(row.id, { lastError: 'timed out' });
        await this.failure('WRITING_TO_CHAIN_TIMEOUT', `no result within ${this.timings.attemptTimeoutMs} ms`, { try_number: tryNumber, operation: SETTING_OPERATION });
        continue;
      }
      if (outcome.ok) return 'record' in outcome ? this.landed(row, outcome.block, outcome.message, outcome.record) : this.landed(row, current, outcome.message);
      await this.store.update(row.id, { lastError: outcome.message });
      if (row.mode === 'commit_reveal') {
        await this.failure('COMMIT_WEIGHTS_ERROR', `message from chain: ${outcome.message}`, { weights_id: Number(row.id), current_block: current });
      } else {
        await this.failure('SET_WEIGHTS_ERROR', outcome.message, row.mode === 'timelocked' ? { weights_id: Number(row.id), current_block: current } : {});
      }
      if (outcome.final) break;
      await this.clock.sleep(this.timings.backoffMs);
    }
    await this.store.update(row.id, { status: 'failed' });
    await this.failure('GIVING_UP', `Failed to set weights after ${attempts} attempts`, { try_number: attempts, operation: SETTING_OPERATION });
    return { outcome: 'failed', head: current, row: (await this.store.findById(row.id)) ?? row };
  }

  private attempt(row: WeightsRow, payload: { uids: number[]; values: number[]; versionKey: bigint }): Promise<SubmitOutcome | TimelockedSubmitOutcome> {
    if (row.mode === 'commit_reveal') return this.chain.commitWeights(payload, row.salt);
    if (row.mode === 'set_weights') return this.chain.setWeights(payload);
    // The plan is stored before the commit is sent, so a restart can find the commit on chain.
    return this.chain.commitTimelocked(payload, (r) =>
      this.store.update(row.id, {
        path: r.path,
        revealRound: BigInt(r.revealRound),
        commitEpoch: BigInt(r.commitEpoch),
        firstRevealBlock: BigInt(r.firstRevealBlock),
        lastRevealBlock: BigInt(r.lastRevealBlock),
      }),
    );
  }

  /** Resuming a row a previous process was submitting: its commit may already be on chain. */
  private async findLandedCommit(row: WeightsRow, head: number): Promise<SetScoresResult | undefined> {
    const record = timelockRecordOf(row);
    const hashCommit = row.mode === 'commit_reveal' && row.commitHash !== null;
    if (!hashCommit && !record) return undefined;
    try {
      if (hashCommit) {
        const pending = await this.chain.pendingCommits();
        if (pending.some((c) => c.commitHash === row.commitHash)) return await this.landed(row, head, 'commit found on chain after a restart');
      } else if (record && (await this.chain.timelockedQueued(record))) {
        return await this.landed(row, head, 'timelocked commit found on chain after a restart', record);
      }
      return undefined;
    } catch (e) {
      const reason = `could not check whether the commit of weights row ${row.id} landed before the restart; it stays pending and is checked again next run: ${message(e)}`;
      this.logger.warn(reason);
      await this.store.update(row.id, { lastError: reason });
      await this.failure('SUBTENSOR_CONNECTIVITY_ERROR', reason, { weights_id: Number(row.id), operation: SETTING_OPERATION });
      return { outcome: 'chain-unavailable', head, row: (await this.store.findById(row.id)) ?? row, detail: reason };
    }
  }

  private async landed(row: WeightsRow, block: number, chainMessage: string, timelock?: TimelockRecord): Promise<SetScoresResult> {
    const path: WeightsPath = timelock ? timelock.path : row.mode === 'commit_reveal' ? 'commit_weights' : 'set_weights';
    const committed = row.mode !== 'set_weights';
    await this.store.update(row.id, { status: committed ? 'committed' : 'set', block: BigInt(block), lastError: null, path });
    if (timelock) {
      // Reference path B: SET_WEIGHTS_SUCCESS with `reveal_round:<n>`; the chain reveals by itself.
      await this.events.record({
        type: 'WEIGHT_SETTING_SUCCESS',
        subtype: 'SET_WEIGHTS_SUCCESS',
        description: `reveal_round:${timelock.revealRound}`,
        data: { ...timelockEventData(row, timelock), block },
      });
    } else if (row.mode === 'commit_reveal') {
      await this.events.record({
        type: 'WEIGHT_SETTING_SUCCESS',
        subtype: 'COMMIT_WEIGHTS_SUCCESS',
        description: `message from chain: ${chainMessage}`,
        data: { weights_id: Number(row.id), path },
      });
    } else {
      await this.events.record({ type: 'WEIGHT_SETTING_SUCCESS', subtype: 'SET_WEIGHTS_SUCCESS', description: chainMessage, data: { weights_id: Number(row.id), path } });
    }
    return { outcome: committed ? 'committed' : 'set', head: block, row: (await this.store.findById(row.id)) ?? row };
  }

  /**
   * One `reveal_scores` run (cron every minute): reveals the newest hash commit in its reveal window,
   * follows timelocked commits up after their reveal blocks, and gives every older commit whose
   * window passed its final state with an event (see CommitFollowUp).
   */
  async revealScores(): Promise<RevealResult> {
    if (!(await this.dynamicConfig.get('SERVING'))) return { outcome: 'not-serving' };
    if ((await this.store.committed()).length === 0) return { outcome: 'nothing-to-reveal' };
    let head: ChainBlock;
    try {
      head = await this.chain.head();
    } catch (e) {
      await this.failure('SUBTENSOR_CONNECTIVITY_ERROR', describe(e), {});
      return { outcome: 'chain-unavailable', detail: message(e) };
    }
    const params = await this.commitRevealParams();
    const ran = await this.runner.runExclusive(REVEAL_LOCK, async () => {
      try {
        return await this.followUp.run(head.number, params, this.timings);
      } catch (e) {
        this.logger.error({ err: e }, 'following up committed weights failed');
        await this.failure('GENERIC_ERROR', describe(e), {});
        return { outcome: 'error', head: head.number, detail: message(e) } satisfies RevealResult;
      }
    });
    return ran.ran ? ran.value : { outcome: 'busy', head: head.number, detail: ran.reason };
  }

  private async failure(subtype: SystemEventSubtype, description: string, data: Record<string, unknown>, type: SystemEventType = 'WEIGHT_SETTING_FAILURE') {
    await this.events.record({ type, subtype, description, data });
  }
}
