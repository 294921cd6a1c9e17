import { PromptSeries } from './persistence/prompt-series.entity';
import { SolveWorkload } from './persistence/solve-workload.entity';
import { PromptSample } from './persistence/prompt-sample.entity';
import { Prompt } from './persistence/prompt.entity';
import { LlmPrompts1733000000000 } from './persistence/1733000000000-llm-prompts.migration';

/** Entities and migrations this module owns (listed in src/app-schema.ts): the LLM prompt tables. */
export const TRUSTED_MINER_ENTITIES: Function[] = [PromptSeries, SolveWorkload, PromptSample, Prompt];
export const TRUSTED_MINER_MIGRATIONS: Function[] = [LlmPrompts1733000000000];
