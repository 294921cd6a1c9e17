import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { LlmPipelineService } from './llm-pipeline.service';
import { LlmSamplesService } from './llm-samples.service';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Used samples and empty workloads are kept this long (spec §6.7, with the batch retention). */
const RETENTION_MS = 2 * DAY;

/**
 * The reference's beat entries for the pipeline: generation every 5 min, sampling every 30 min,
 * answering every 5 min (intervals, as celery's timedelta schedules), plus daily eviction. Only the
 * daemon loads @nestjs/schedule; each run is exclusive across validator processes.
 */
@Injectable()
export class LlmPipelineSchedule {
  private readonly logger = new Logger(LlmPipelineSchedule.name);

  constructor(
    private readonly pipeline: LlmPipelineService,
    private readonly samples: LlmSamplesService,
    private readonly exclusive: ExclusiveRunner,
  ) {}

  @Interval('llm_prompt_generation', 5 * MINUTE)
  async generation(): Promise<void> {
    await this.guarded('llm_prompt_generation', () => this.pipeline.generatePrompts());
  }

  @Interval('llm_prompt_sampling', 30 * MINUTE)
  async sampling(): Promise<void> {
    await this.guarded('llm_prompt_sampling', () => this.pipeline.samplePrompts());
  }

  @Interval('llm_prompt_answering', 5 * MINUTE)
  async answering(): Promise<void> {
    await this.guarded('llm_prompt_answering', () => this.pipeline.answerPrompts());
  }

  @Interval('llm_prompt_eviction', DAY)
  async eviction(): Promise<void> {
    await this.guarded('llm_prompt_eviction', () => this.samples.evict(new Date(Date.now() - RETENTION_MS)));
  }

  private async guarded(name: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      const r = await this.exclusive.runExclusive(name, fn);
      if (!r.ran) this.logger.debug(`${name} skipped: ${r.reason}`);
    } catch (e) {
      this.logger.error({ err: e }, `${name} failed`);
    }
  }
}
