import { PromptSeries } from '../synthetic-jobs/trusted-miner/persistence/prompt-series.entity';
import { SolveWorkload } from '../synthetic-jobs/trusted-miner/persistence/solve-workload.entity';
import { PromptSample } from '../synthetic-jobs/trusted-miner/persistence/prompt-sample.entity';
import { Prompt } from '../synthetic-jobs/trusted-miner/persistence/prompt.entity';
import { LlmPrompts1733000000000 } from '../synthetic-jobs/trusted-miner/persistence/1733000000000-llm-prompts.migration';

/**
 * Entities and migrations this module owns (listed in src/app-schema.ts): the LLM prompt
 * tables of the trusted-miner pipeline (their code lives in synthetic-jobs/trusted-miner/).
 */
export const S3_ENTITIES: Function[] = [PromptSeries, SolveWorkload, PromptSample, Prompt];
export const S3_MIGRATIONS: Function[] = [LlmPrompts1733000000000];
