import type { AppConfig } from '../../config/app-config';
import type { Clock } from '../../config/clock';
import type { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import type { ExecutorClass } from '../../protocol/executor-class';
import type { S3Service } from '../../s3/s3.service';
import { downloadFileContent } from '../../s3/s3-http';
import { parseExecutorClassList } from '../batch/batch-config';
import type { BatchMiner, JobFactory } from '../batch/batch-engine';
import { createHashcatJob } from '../generators/hashcat/hashcat-generator';
import { parseHashcatDifficulty } from '../generators/hashcat/hashcat-params';
import { createLlmPromptsJob } from '../generators/llm/llm-prompts-generator';
import type { BatchSystemEventsRepository } from '../persistence/batch-system-events.repository';
import type { LlmSample, LlmSamplesService } from '../trusted-miner/llm-samples.service';

/** Once per 24 h (synthetic-jobs.md §4.6). */
const INSUFFICIENT_PROMPTS_EVERY_MS = 24 * 3600 * 1000;

/** A used prompt sample and the synthetic job that took it (marked used after the batch). */
export interface LlmSampleUse {
  sampleId: string;
  syntheticJobUuid: string;
}

export interface SyntheticJobFactoryDeps {
  config: AppConfig;
  clock: Clock;
  dynamic: DynamicConfigService;
  batchEvents: BatchSystemEventsRepository;
  /** Stores events without throwing (the runner's bulk insert). */
  insertEvents(events: SystemEventInput[]): Promise<void>;
  llmSamples?: LlmSamplesService;
  s3?: S3Service;
}

/**
 * The batch's jobs: hashcat for every class but LLM, the prompt-solver job for LLM executors with one
 * reserved answered sample each. Every sample a job takes is pushed to `llmUses`.
 */
export async function createSyntheticJobFactory(deps: SyntheticJobFactoryDeps, llmUses: LlmSampleUse[]): Promise<JobFactory> {
  const { config, dynamic } = deps;
  const override = config.jobs.DEBUG_OVERRIDE_WEIGHTS_VERSION;
  const weightsVersion = override ?? (await dynamic.get('DYNAMIC_WEIGHTS_VERSION'));
  const difficulty = parseHashcatDifficulty(config.jobs.DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY);
  const clock = deps.clock;
  const samples: LlmSample[] = [];
  const s3 = deps.s3;
  const downloadTimeoutMs = (await dynamic.get('DYNAMIC_LLM_ANSWER_S3_DOWNLOAD_TIMEOUT_SECONDS')) * 1000;
  // Only LLM jobs have a streaming variant; other classes in the list run as usual.
  const streamingClasses = parseExecutorClassList(await dynamic.get('DYNAMIC_SYNTHETIC_STREAMING_JOB_EXECUTOR_CLASSES'));
  return {
    create: async (miner: BatchMiner, executorClass: ExecutorClass) => {
      if (executorClass !== 'always_on.llm.a6000') {
        return createHashcatJob({ executorClass, minerHotkey: miner.hotkey, weightsVersion, difficulty, nowMs: clock.now() });
      }
      const sample = samples.shift();
      if (!sample || !s3) throw new Error('LLM job requested without a reserved prompt sample');
      const job = await createLlmPromptsJob({
        executorClass,
        streaming: streamingClasses.has(executorClass),
        sample: { seriesUrl: sample.seriesUrl, seed: sample.seed, prompts: sample.prompts },
        urlsFor: async (fileUuid) => ({
          uploadUrl: await s3.uploadUrl(s3.answersBucket, `${fileUuid}.json`, 'solved/'),
          publicUrl: s3.publicUrl(s3.answersBucket, `${fileUuid}.json`, 'solved/'),
        }),
        download: (url) => downloadFileContent(url, downloadTimeoutMs),
        sleep: (ms) => clock.sleep(ms),
      });
      llmUses.push({ sampleId: sample.sampleId, syntheticJobUuid: job.jobUuid });
      return job;
    },
    reserveLlm: async (count: number) => {
      const reason = await reserveLlmSamples(deps, count, samples);
      return reason === null ? { ok: true } : { ok: false, reason };
    },
  };
}

/** Takes `count` unused answered samples into `into`, or returns why LLM jobs are skipped. */
async function reserveLlmSamples(deps: SyntheticJobFactoryDeps, count: number, into: LlmSample[]): Promise<string | null> {
  const s3 = deps.s3;
  if (!deps.llmSamples) return 'no prompt sample source (trusted-miner module not loaded)';
  if (!s3 || !s3.isConfigured()) return 'S3 is not configured (AWS credentials, S3_BUCKET_NAME_PROMPTS, S3_BUCKET_NAME_ANSWERS)';
  const samples = await deps.llmSamples.takeUnused(count);
  if (samples.length < count) {
    await insufficientPrompts(deps, count);
    return `not enough prompt samples: ${samples.length} ready, ${count} needed`;
  }
  into.push(...samples);
  return null;
}

async function insufficientPrompts(deps: SyntheticJobFactoryDeps, llmExecutorCount: number): Promise<void> {
  const since = new Date(deps.clock.now() - INSUFFICIENT_PROMPTS_EVERY_MS);
  if (await deps.batchEvents.insufficientPromptsSince(since)) return;
  const counts = deps.llmSamples ? await deps.llmSamples.counts() : null;
  await deps.insertEvents([{
    type: 'VALIDATOR_TELEMETRY', subtype: 'INSUFFICIENT_PROMPTS', description: 'not enough prompt samples available in database',
    data: {
      func: 'get_llm_prompt_samples', llm_executor_count: llmExecutorCount,
      prompt_series_total_count: counts?.promptSeriesTotalCount, prompt_sample_used_count: counts?.promptSampleUsedCount,
      prompt_sample_unused_answered_count: counts?.promptSampleUnusedAnsweredCount, prompt_sample_unused_unanswered_count: counts?.promptSampleUnusedUnansweredCount,
    },
  }]);
}
