import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { Cron, CronExpression, SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '../../config/app-config';
import { WeightSettingService } from './weight-setting.service';

export const SET_SCORES_JOB = 'weights.set-scores';

/** The reference's crontab `minute=DEBUG_SET_SCORES_MINUTE hour=DEBUG_SET_SCORES_HOUR` (seconds 0). */
export function setScoresCronExpression(minute: string, hour: string): string {
  return `0 ${minute.trim() || '*/1'} ${hour.trim() || '*'} * * *`;
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
    const expression = setScoresCronExpression(this.config.jobs.DEBUG_SET_SCORES_MINUTE, this.config.jobs.DEBUG_SET_SCORES_HOUR);
    let job: CronJob;
    try {
      job = CronJob.from({ cronTime: expression, onTick: () => void this.setScores(), start: false, waitForCompletion: true });
    } catch (e) {
      this.logger.error(`DEBUG_SET_SCORES_MINUTE/HOUR give an invalid cron expression "${expression}": ${(e as Error).message}; weights will not be set`);
      return;
    }
    this.registry.addCronJob(SET_SCORES_JOB, job as never);
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

  @Cron(CronExpression.EVERY_MINUTE, { name: 'weights.reveal-scores', waitForCompletion: true })
  async revealScores(): Promise<void> {
    try {
      const result = await this.weights.revealScores();
      this.logger.debug({ outcome: result.outcome, head: result.head }, 'reveal_scores');
    } catch (e) {
      this.logger.error({ err: e }, 'reveal_scores crashed');
    }
  }
}
