import { randomInt, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import type { SystemEventSubtype, SystemEventType } from '../../observability/system-events/system-event.types';
import { S3Service } from '../../s3/s3.service';
import { answersKey, promptAnsweringJob, promptGenerationJob } from './llm-jobs';
import type { PromptSeries } from './persistence/prompt-series.entity';
import type { SolveWorkload } from './persistence/solve-workload.entity';
import { PromptPipelineRepository } from './persistence/prompt-pipeline.repository';
import { pickLines, PlannedSample, RandomInt, shuffled, WorkloadPacker } from './sampling';
import { TrustedMinerClient } from './trusted-miner.client';
import { AppConfig } from '../../config/app-config';

/** Lock shared by everything that runs jobs on the trusted miner (reference lock id 3). */
export const TRUSTED_MINER_LOCK = 'TRUSTED_MINER_LOCK';
const NOT_CONFIGURED_EVERY_MS = 24 * 3600 * 1000;
/** The answering task stops starting workloads once it would pass this (reference: 260 s of a 300 s limit). */
const ANSWERING_BUDGET_MS = 260_000;
const SEED_MAX = 2 ** 32 - 1;

export interface GenerationResult {
  ran: boolean;
  reason?: string;
  createdSeries: number;
}

export interface SamplingResult {
  ran: boolean;
  reason?: string;
  newWorkloads: number;
  newSamples: number;
}

export interface AnsweringResult {
  processed: number;
  succeeded: number;
  failed: number;
}

/**
 * The three LLM cross-validation tasks (spec §6.3-6.5): prompt generation and prompt answering on
 * the trusted miner, prompt sampling in between. Every outcome is a system event; nothing throws.
 */
@Injectable()
export class LlmPipelineService {
  private readonly logger = new Logger(LlmPipelineService.name);
  private readonly notConfiguredReported = new Map<SystemEventType, number>();
  /** Replaceable for tests. */
  randomInt: RandomInt = (max) => randomInt(max);

  constructor(
    private readonly prompts: PromptPipelineRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly events: SystemEventsService,
    private readonly s3: S3Service,
    private readonly trustedMiner: TrustedMinerClient,
    private readonly exclusive: ExclusiveRunner,
  ) {}

  // ---------------------------------------------------------------- generation (spec §6.3)

  async generatePrompts(): Promise<GenerationResult> {
    const skip = (reason: string): GenerationResult => ({ ran: false, reason, createdSeries: 0 });
    if ((await this.prompts.unansweredWorkloadCount()) > 0) {
      return skip('there are unanswered workloads; answering has priority');
    }
    const seriesCount = await this.prompts.seriesCount();
    const max = await this.dynamic.get('DYNAMIC_MAX_PROMPT_SERIES');
    if (seriesCount >= max) return skip(`there are already ${seriesCount} prompt series (maximum ${max})`);
    if (!(await this.trustedMinerConfigured('LLM_PROMPT_GENERATION'))) return skip('trusted miner not configured');
    await this.event('LLM_PROMPT_GENERATION', 'PROMPT_GENERATION_STARTED', 'Prompt generation started', {
      prompt_series_count: seriesCount,
      expected_prompt_series_count: max,
    });
    const r = await this.exclusive.runExclusive(TRUSTED_MINER_LOCK, () => this.runGeneration());
    if (!r.ran) return skip(r.reason);
    return r.value;
  }

  private async runGeneration(): Promise<GenerationResult> {
    try {
      const [count, perSeries] = await Promise.all([
        this.dynamic.get('DYNAMIC_PROMPTS_SERIES_IN_A_SINGLE_GENERATION'),
        this.dynamic.get('DYNAMIC_NUMBER_OF_PROMPTS_IN_SERIES'),
      ]);
      const bucket = this.s3.promptsBucket;
      const series: { uuid: string; uploadUrl: string; publicUrl: string }[] = [];
      for (let i = 0; i < count; i++) {
        const uuid = randomUUID();
        series.push({ uuid, uploadUrl: await this.s3.uploadUrl(bucket, uuid), publicUrl: this.s3.publicUrl(bucket, uuid) });
      }
      const job = promptGenerationJob({ jobUuid: randomUUID(), model: this.config.jobs.PROMPT_GENERATION_MODEL, promptsPerSeries: perSeries, series });
      const startedAt = this.clock.nowDate();
      const outcome = await this.trustedMiner.run(job);
      if (outcome.kind === 'declined' && outcome.reason === 'busy') return { ran: true, reason: 'trusted miner busy', createdSeries: 0 };
      if (outcome.kind !== 'completed') {
        // the reference persists the series after a non-busy decline although nothing was generated: treated as failure here
        const why = outcome.kind === 'declined' ? `declined (${outcome.reason}): ${outcome.message}` : outcome.comment;
        await this.event('LLM_PROMPT_GENERATION', 'FAILURE', `Trusted miner failed to run prompt generation job: ${why}`, { job_uuid: job.jobUuid });
        return { ran: true, reason: why, createdSeries: 0 };
      }
      await this.prompts.insertSeries(series.map((s) => ({ seriesUuid: s.uuid, s3Url: s.publicUrl, generatorVersion: 0 })));
      const completedAt = this.clock.nowDate();
      await this.event('LLM_PROMPT_GENERATION', 'SUCCESS', 'Prompt generation finished', {
        started_at: startedAt,
        completed_at: completedAt,
        duration: (completedAt.getTime() - startedAt.getTime()) / 1000,
        count: series.length,
      });
      return { ran: true, createdSeries: series.length };
    } catch (e) {
      await this.event('LLM_PROMPT_GENERATION', 'FAILURE', `Error while generating prompts: ${errorText(e)}`, {});
      return { ran: true, reason: errorText(e), createdSeries: 0 };
    }
  }

  // ---------------------------------------------------------------- sampling (spec §6.4)

  async samplePrompts(): Promise<SamplingResult> {
    const skip = (reason: string): SamplingResult => ({ ran: false, reason, newWorkloads: 0, newSamples: 0 });
    const [target, max] = await Promise.all([this.dynamic.get('DYNAMIC_TARGET_NUMBER_OF_PROMPT_SAMPLES_READY'), this.dynamic.get('DYNAMIC_MAX_PROMPT_SERIES')]);
    const seriesCount = await this.prompts.seriesCount();
    const required = Math.min(2 * target, max);
    if (seriesCount < required) {
      await this.event('LLM_PROMPT_SAMPLING', 'PROMPT_SAMPLING_SKIPPED', `not enough prompt series in the database to start sampling (${seriesCount} < ${required})`, {
        prompt_series_count: seriesCount,
        required_prompt_series_count_to_start_sampling: required,
      });
      return skip('not enough prompt series');
    }
    const unused = await this.prompts.unusedSampleCount();
    const needed = target - unused;
    if (needed <= 0) {
      await this.event('LLM_PROMPT_SAMPLING', 'PROMPT_SAMPLING_SKIPPED', `enough prompt samples unused in the database (${unused} >= ${target})`, {
        unused_prompt_samples_count: unused,
        target_unused_prompt_samples_count: target,
      });
      return skip('enough unused samples');
    }
    const { workloads, samples } = await this.createSampleWorkloads(needed);
    await this.event('LLM_PROMPT_SAMPLING', 'NEW_WORKLOADS_CREATED', `${workloads} new workloads created`, {
      new_workloads_count: workloads,
      prompt_series_count: seriesCount,
      unused_prompt_samples_count: unused,
    });
    return { ran: true, newWorkloads: workloads, newSamples: samples };
  }

  private async createSampleWorkloads(needed: number): Promise<{ workloads: number; samples: number }> {
    const [k, perWorkload] = await Promise.all([
      this.dynamic.get('DYNAMIC_NUMBER_OF_PROMPTS_TO_SAMPLE_FROM_SERIES'),
      this.dynamic.get('DYNAMIC_NUMBER_OF_PROMPTS_PER_WORKLOAD'),
    ]);
    const seed = this.randomInt(SEED_MAX + 1);
    const allSeries = shuffled(await this.prompts.allSeries(), this.randomInt);
    const packer = new WorkloadPacker<PromptSeries>(perWorkload);
    let workloads = 0;
    let samples = 0;
    for (const series of allSeries) {
      let lines: string[];
      try {
        // prompts are stripped and blank lines dropped: the solver answers stripped, non-empty lines only
        lines = (await this.s3.downloadLines(series.s3Url)).map((l) => l.trim()).filter((l) => l.length > 0);
      } catch (e) {
        await this.event('LLM_PROMPT_SAMPLING', 'ERROR_DOWNLOADING_FROM_S3', `Failed to download prompt series ${series.seriesUuid}: ${errorText(e)}`, { series_uuid: series.seriesUuid });
        continue;
      }
      if (lines.length <= k) continue;
      const full = packer.add({ series, prompts: pickLines(lines, k, this.randomInt) });
      if (!full) continue;
      if (await this.storeWorkload(full, seed)) {
        workloads += 1;
        samples += full.length;
        if (samples >= needed) break;
      }
    }
    return { workloads, samples };
  }

  private async storeWorkload(planned: PlannedSample<PromptSeries>[], seed: number): Promise<boolean> {
    const workloadUuid = randomUUID();
    const bucket = this.s3.answersBucket;
    try {
      const uploadUrl = await this.s3.uploadUrl(bucket, workloadUuid);
      await this.s3.uploadText(uploadUrl, planned.flatMap((p) => p.prompts).join('\n'));
    } catch (e) {
      await this.event('LLM_PROMPT_SAMPLING', 'ERROR_UPLOADING_TO_S3', `Failed to upload workload ${workloadUuid}: ${errorText(e)}`, { workload_uuid: workloadUuid });
      return false;
    }
    await this.prompts.storeWorkload(
      { workloadUuid, seed, s3Url: this.s3.publicUrl(bucket, workloadUuid) },
      planned.map((p) => ({ seriesId: p.series.id, prompts: p.prompts })),
    );
    return true;
  }

  // ---------------------------------------------------------------- answering (spec §6.5)

  async answerPrompts(): Promise<AnsweringResult> {
    const result: AnsweringResult = { processed: 0, succeeded: 0, failed: 0 };
    if (!(await this.trustedMinerConfigured('LLM_PROMPT_ANSWERING'))) return result;
    const workloads = await this.prompts.unansweredWorkloads();
    await this.event('LLM_PROMPT_ANSWERING', 'UNPROCESSED_WORKLOADS', `${workloads.length} workloads to answer`, { count: workloads.length });
    const startedAt = this.clock.nowDate();
    const times: number[] = [];
    for (const workload of workloads) {
      const t = this.clock.now();
      const r = await this.exclusive.runExclusive(TRUSTED_MINER_LOCK, () => this.answerWorkload(workload));
      if (!r.ran) break;
      times.push((this.clock.now() - t) / 1000);
      result.processed += 1;
      if (r.value) result.succeeded += 1;
      else result.failed += 1;
      const total = times.reduce((a, b) => a + b, 0);
      if ((total + total / times.length) * 1000 > ANSWERING_BUDGET_MS) break;
    }
    if (result.processed > 0) {
      const completedAt = this.clock.nowDate();
      await this.event('LLM_PROMPT_ANSWERING', 'SUCCESS', `${result.succeeded} workloads answered`, {
        started_at: startedAt,
        completed_at: completedAt,
        task_duration: (completedAt.getTime() - startedAt.getTime()) / 1000,
        times,
        job_success_count: result.succeeded,
        job_failure_count: result.failed,
      });
    }
    return result;
  }

  /** Runs the answering job for one workload; true when every prompt got its answer and the workload is finished. */
  async answerWorkload(workload: SolveWorkload): Promise<boolean> {
    const fileUuid = randomUUID();
    const bucket = this.s3.answersBucket;
    let job;
    try {
      job = promptAnsweringJob({
        jobUuid: randomUUID(), fileUuid, workloadUrl: workload.s3Url, seed: workload.seed, answersUploadUrl: await this.s3.uploadUrl(bucket, answersKey(fileUuid)),
      });
    } catch (e) {
      await this.event('LLM_PROMPT_ANSWERING', 'FAILURE', `Trusted miner failed to run prompt answering job: ${errorText(e)}`, { workload_uuid: workload.workloadUuid });
      return false;
    }
    const outcome = await this.trustedMiner.run(job);
    if (outcome.kind === 'declined') {
      if (outcome.reason === 'busy') return false;
      await this.event('LLM_PROMPT_ANSWERING', 'JOB_REJECTED', `Trusted miner declined the prompt answering job (${outcome.reason}): ${outcome.message}`, { job_uuid: job.jobUuid, workload_uuid: workload.workloadUuid });
      return false;
    }
    if (outcome.kind === 'failed') {
      await this.event('LLM_PROMPT_ANSWERING', 'FAILURE', `Trusted miner failed to run prompt answering job: ${outcome.comment}`, { job_uuid: job.jobUuid, workload_uuid: workload.workloadUuid });
      return false;
    }
    let answers: Record<string, string>;
    const url = this.s3.publicUrl(bucket, answersKey(fileUuid));
    try {
      answers = parseAnswers((await this.s3.downloadBytes(url, 5000)).toString('utf8'));
    } catch (e) {
      await this.event('LLM_PROMPT_ANSWERING', 'ERROR_DOWNLOADING_FROM_S3', `Failed to download the prompt answers from ${url}: ${errorText(e)}`, { job_uuid: job.jobUuid, workload_uuid: workload.workloadUuid });
      return false;
    }
    const prompts = await this.prompts.unansweredPrompts(workload.id);
    for (const p of prompts) {
      if (!Object.prototype.hasOwnProperty.call(answers, p.content)) {
        await this.event('LLM_PROMPT_ANSWERING', 'LLM_PROMPT_ANSWERS_MISSING', 'Prompt answer is missing', {
          unanswered_prompt_content: p.content,
          workload_id: workload.workloadUuid,
          prompt_sample_id: p.sampleId,
        });
        return false;
      }
    }
    await this.prompts.storeAnswers(workload.id, prompts.map((p) => ({ promptId: p.id, answer: answers[p.content] })), this.clock.nowDate());
    return true;
  }

  // ---------------------------------------------------------------- helpers

  private async trustedMinerConfigured(type: 'LLM_PROMPT_GENERATION' | 'LLM_PROMPT_ANSWERING'): Promise<boolean> {
    if (this.trustedMiner.address) return true;
    const last = this.notConfiguredReported.get(type);
    if (last === undefined || this.clock.now() - last >= NOT_CONFIGURED_EVERY_MS) {
      this.notConfiguredReported.set(type, this.clock.now());
      await this.event(type, 'TRUSTED_MINER_NOT_CONFIGURED', 'Trusted miner is not configured (TRUSTED_MINER_ADDRESS / TRUSTED_MINER_PORT)', {});
    }
    return false;
  }

  private async event(type: SystemEventType, subtype: SystemEventSubtype, description: string, data: Record<string, unknown>): Promise<void> {
    await this.events.record({ type, subtype, description, data });
  }
}

/** An answers file: a JSON object of string -> string; anything else is refused. */
export function parseAnswers(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`answers file is not a JSON object (${errorText(e)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('answers file is not a JSON object');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw new Error(`answer for ${JSON.stringify(k.slice(0, 80))} is not a string`);
    out[k] = v;
  }
  return out;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
