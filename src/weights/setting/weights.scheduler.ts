import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '../../config/app-config';
import { WeightSettingService } from './weight-setting.service';

export const SET_SCORES_JOB = 'weights.set-scores';

export const REVEAL_SCORES_JOB = 'weights.reveal-scores';

/**
 * The reference's crontab `minute=DEBUG_SET_SCORES_MINUTE hour=DEBUG_SET_SCORES_HOUR`, at second
 * DEBUG_SET_SCORES_SECOND (default 0; a devnet with blocks every second needs e.g. `*\/3`).
 */
export function setScoresCronExpression(minute: string, hour: string, second = '0'): string {
  return `${second.trim() || '0'} ${minute.trim() || '*/1'} ${hour.trim() || '*'} * * *`;
}

/** `reveal_scores`: every minute in the reference, at the same second field as set_scores. */
export function revealScoresCronExpression(second = '0'): string {
  return `${second.trim() || '0'} * * * * *`;
}

/**
 * The daemon's weight-setting schedule. `set_scores` follows the DEBUG_SET_SCORES_* fields, so
 * it is registered with the SchedulerRegistry at start (a decorator cannot read config);
 * `reveal_scores` runs every minute. Neither fires in validator-cli (no ScheduleModule there).
 */
@Injectable()
export class WeightsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('WeightsScheduler');

  constructor(
    private readonly weights: WeightSettingService,
    private readonly config: AppConfig,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.registry) return;
    const { DEBUG_SET_SCORES_MINUTE: minute, DEBUG_SET_SCORES_HOUR: hour, DEBUG_SET_SCORES_SECOND: second } = this.config.jobs;
    this.register(SET_SCORES_JOB, setScoresCronExpression(minute, hour, second), () => this.setScores());
    this.register(REVEAL_SCORES_JOB, revealScoresCronExpression(second), () => this.revealScores());
  }

  private register(name: string, expression: string, onTick: () => Promise<void>): void {
    let job: CronJob;
    try {
      job = CronJob.from({ cronTime: expression, onTick: () => void onTick(), start: false, waitForCompletion: true });
    } catch (e) {
      this.logger.error(`DEBUG_SET_SCORES_SECOND/MINUTE/HOUR give an invalid cron expression "${expression}" for ${name}: ${(e as Error).message}; it will not run`);
      return;
    }
    this.registry?.addCronJob(name, job as never);
    job.start();
  }

  async setScores(): Promise<void> {
    try {
      const result = await this.weights.setScores();
      this.logger.debug({ outcome: result.outcome, head: result.head, detail: result.detail }, 'set_scores');
    } catch (e) {
      this.logger.error({ err: e }, 'set_scores crashed');
    }
  }

  async revealScores(): Promise<void> {
    try {
      const result = await this.weights.revealScores();
      this.logger.debug({ outcome: result.outcome, head: result.head }, 'reveal_scores');
    } catch (e) {
      this.logger.error({ err: e }, 'reveal_scores crashed');
    }
  }
}
