import { Injectable, Logger, Optional } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { cycleContaining } from './chain-time';
import { batchSlot, orderValidatorHotkeys } from './batch-slot';
import { SyntheticChainReader } from './synthetic-chain.reader';
import { SyntheticBatchRepository, type BatchRow } from '../persistence/synthetic-batch.repository';
import { SyntheticBatchRunnerService, type BatchReport } from '../batch-run/batch-runner.service';

/** Seed block = cycle start − DYNAMIC_BLOCK_FINALIZATION_NUMBER (reference default 3; not a dynamic key here). */
export const BLOCK_FINALIZATION_NUMBER = 3;
export const APPROXIMATE_BLOCK_DURATION_MS = 12_000;

export const SCHEDULE_LOCK = 'synthetic-jobs:schedule';
export const RUN_LOCK = 'synthetic-jobs:run';
export const MISSED_LOCK = 'synthetic-jobs:missed';

export type ScheduleOutcome = { scheduled: true; block: number; index: number; total: number; seed: string } | { scheduled: false; reason: string };
export type RunOutcome = { ran: true; batchId: string; report: BatchReport } | { ran: false; reason: string };

/**
 * The synthetic-era calendar (scoring-synthetic-era.md §4.2-4.4): one batch per netuid cycle at this
 * validator's slot, started when its block arrives, flagged when missed. Every step runs inside
 * ExclusiveRunner.runExclusive; a batch is claimed with a conditional UPDATE, so two processes never
 * start the same batch.
 */
@Injectable()
export class SyntheticCalendarService {
  private readonly logger = new Logger('SyntheticCalendar');

  constructor(
    private readonly batches: SyntheticBatchRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly hotkey: ValidatorHotkey,
    private readonly exclusive: ExclusiveRunner,
    private readonly events: SystemEventsService,
    private readonly runner: SyntheticBatchRunnerService,
    @Optional() private readonly chain?: SyntheticChainReader,
  ) {}

  private get netuid(): number {
    return this.config.chain.BITTENSOR_NETUID;
  }

  private requireChain(): SyntheticChainReader {
    if (!this.chain) throw new Error('no chain reader is available to the synthetic calendar');
    return this.chain;
  }

  /**
   * Deviation: the reference schedules once a minute and looks for a due batch every 30 s. With
   * 12-s blocks and 722-block cycles that is plenty; with a devnet's one-second blocks and 22-block
   * cycles it misses whole cycles. Checking every 5 s / 2 s costs one query when nothing is due.
   */
  @Interval('schedule_synthetic_jobs', 5_000)
  async scheduleTick(): Promise<void> {
    await this.exclusive.runExclusive(SCHEDULE_LOCK, () => this.scheduleBatch()).catch((e: unknown) => this.logger.error({ err: e }, 'scheduling failed'));
  }

  @Interval('run_synthetic_jobs', 2_000)
  async runTick(): Promise<void> {
    await this.exclusive
      .runExclusive(RUN_LOCK, async () => {
        await this.flagInterrupted();
        return this.runDueBatch();
      })
      .catch((e: unknown) => this.logger.error({ err: e }, 'synthetic run failed'));
  }

  /**
   * Must run under RUN_LOCK (then no batch is being run): a batch that was started but whose results
   * were never stored was cut short by a stop or a crash. It gets `interrupted_at` and a
   * `VALIDATOR_SYNTHETIC_JOBS_FAILURE / INTERRUPTED` event, and is not run again: the reference runs
   * a batch once (a started batch never qualifies again) and may start it at most
   * MAX_OVERSLEEP blocks late, less than a restart takes; a second run would also meet executors
   * still busy with the first run's jobs. Weight setting skips it, as it skips a missed batch.
   */
  async flagInterrupted(): Promise<string[]> {
    const rows = await this.runner.markInterrupted(null, 'the validator stopped before the batch results were stored');
    return rows.map((r) => r.id);
  }

  @Interval('check_missed_synthetic_jobs', 600_000)
  async missedTick(): Promise<void> {
    await this.exclusive.runExclusive(MISSED_LOCK, () => this.checkMissed()).catch((e: unknown) => this.logger.error({ err: e }, 'missed-batch check failed'));
  }

  /** `schedule_synthetic_jobs`: creates this cycle's batch at our slot unless one exists. */
  async scheduleBatch(): Promise<ScheduleOutcome> {
    try {
      const chain = this.requireChain();
      const head = await chain.currentBlock();
      const tempo = await chain.tempo();
      const c = cycleContaining(head, this.netuid, tempo);
      const existing = await this.batches.scoredBatchIdInCycle(c);
      if (existing !== null) return { scheduled: false, reason: `cycle [${c.start}, ${c.stop}) already has batch ${existing}` };
      const v = await chain.validatorCandidates(c.start);
      const ordered = orderValidatorHotkeys(v.neurons, v.stakeThreshold, v.maxValidators, v.bac);
      const seed = await chain.blockHash(c.start - BLOCK_FINALIZATION_NUMBER);
      const slot = batchSlot(c, ordered, this.hotkey.ss58, seed, this.config.jobs.SYNTHETIC_JOBS_RUN_OFFSET);
      await this.events.record({ type: 'VALIDATOR_SYNTHETIC_JOB_SCHEDULED', subtype: 'SUCCESS', data: { seed, index: slot.index, block: slot.block } });
      await this.batches.schedule(slot.block, c);
      return { scheduled: true, block: slot.block, index: slot.index, total: slot.total, seed };
    } catch (e) {
      // The reference files scheduling errors under the weight-setting failure type (its shared error wrapper).
      await this.events.record({ type: 'WEIGHT_SETTING_FAILURE', subtype: 'GENERIC_ERROR', description: `synthetic batch scheduling failed: ${(e as Error).message}` });
      return { scheduled: false, reason: (e as Error).message };
    }
  }

  /** `run_synthetic_jobs`: waits for a batch within [head − O, head + W] and runs it once. */
  async runDueBatch(opts: { pollIntervalMs?: number; waitInAdvanceBlocks?: number } = {}): Promise<RunOutcome> {
    if (!(await this.dynamic.get('SERVING'))) return { ran: false, reason: 'not serving' };
    const chain = this.requireChain();
    let head = await chain.currentBlock();
    const w = opts.waitInAdvanceBlocks ?? (await this.dynamic.get('DYNAMIC_SYNTHETIC_JOBS_PLANNER_WAIT_IN_ADVANCE_BLOCKS'));
    const pollMs = opts.pollIntervalMs ?? (await this.dynamic.get('DYNAMIC_SYNTHETIC_JOBS_PLANNER_POLL_INTERVAL')) * 1000;
    const o = await this.dynamic.get('DYNAMIC_SYNTHETIC_JOBS_PLANNER_MAX_OVERSLEEP_BLOCKS');
    const rows: BatchRow[] = await this.batches.unstartedBetween(head - o, head + w);
    if (rows.length === 0) return { ran: false, reason: 'no batch due' };
    // The batch starts within a few blocks: have the signing threads up by then (once per process).
    void this.runner.warmUp();
    if (rows.length > 1) this.logger.warn(`${rows.length} batches due at block ${head}; running the first`);
    const batch = rows[0];
    const block = Number(batch.block);
    const data = () => ({ batch_id: batch.id, batch_created_at: String(batch.created_at), should_run_at_block: block, current_block: head });
    const wait = block - head;
    if (wait < 0) {
      await this.events.record({ type: 'VALIDATOR_OVERSLEPT_SCHEDULED_JOB_WARNING', subtype: 'WARNING', description: 'Overslept a batch run, but still within acceptable margin', data: data() });
    } else if (wait > 0) {
      const attempts = Math.ceil((wait * APPROXIMATE_BLOCK_DURATION_MS * 2) / pollMs);
      let reached = false;
      for (let i = 0; i < attempts; i++) {
        head = await chain.currentBlock();
        if (head >= block) {
          reached = true;
          break;
        }
        this.logger.log(`Waiting for block ${block}, current block ${head}`);
        await this.clock.sleep(pollMs);
      }
      if (!reached) {
        await this.events.record({ type: 'VALIDATOR_SYNTHETIC_JOBS_FAILURE', subtype: 'FAILED_TO_WAIT', description: 'Failed to await the right block to run at', data: data() });
        return { ran: false, reason: `block ${block} did not arrive in time` };
      }
    }
    const claimed = await this.claim(batch.id);
    if (!claimed) return { ran: false, reason: `batch ${batch.id} was started elsewhere` };
    const report = await this.runner.runBatch(batch.id);
    return { ran: true, batchId: batch.id, report };
  }

  /** Marks the batch started; false if another runner already did (exactly one run per batch). */
  async claim(batchId: string): Promise<boolean> {
    return this.batches.claim(batchId, this.clock.nowDate());
  }

  /** `check_missed_synthetic_jobs`: flags unstarted batches older than head − O. */
  async checkMissed(): Promise<number> {
    const head = await this.requireChain().currentBlock();
    const o = await this.dynamic.get('DYNAMIC_SYNTHETIC_JOBS_PLANNER_MAX_OVERSLEEP_BLOCKS');
    const rows = await this.batches.markMissedBefore(head - o);
    for (const r of rows) {
      await this.events.record({
        type: 'VALIDATOR_SYNTHETIC_JOBS_FAILURE', subtype: 'OVERSLEPT', description: 'Failed to run synthetic jobs in time',
        data: { batch_id: r.id, created_at: String(r.created_at), block: Number(r.block), current_block: head, current_time: this.clock.nowDate().toISOString() },
      });
    }
    return rows.length;
  }
}
