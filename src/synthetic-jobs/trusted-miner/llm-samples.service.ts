import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Prompt } from './persistence/prompt.entity';
import { PromptSample } from './persistence/prompt-sample.entity';
import { PromptSeries } from './persistence/prompt-series.entity';
import { SolveWorkload } from './persistence/solve-workload.entity';
import { PromptSamplesRepository } from './persistence/prompt-samples.repository';

/** One unused, answered sample: what a synthetic LLM job needs. */
export interface LlmSample {
  /** prompt_sample.id (decimal string); pass it back to `markUsed`. */
  sampleId: string;
  seriesUuid: string;
  /** Public URL of the whole series file: the synthetic job's input volume (spec §5.3.1). */
  seriesUrl: string;
  workloadUuid: string;
  /** The workload's seed: the synthetic job's `--seed` (spec §6.6). */
  seed: number;
  /** The sampled prompts with the trusted miner's answers (default 1 per sample). */
  prompts: { content: string; answer: string }[];
}

/** The batch telemetry's llm_counts (spec §4.6 / §11). */
export interface LlmSampleCounts {
  promptSeriesTotalCount: number;
  promptSampleUsedCount: number;
  promptSampleUnusedAnsweredCount: number;
  promptSampleUnusedUnansweredCount: number;
}

/**
 * What the synthetic batch reads from the cross-validation pipeline: unused samples whose workload
 * the trusted miner has answered, and marking them used once a job took them.
 */
@Injectable()
export class LlmSamplesService {
  constructor(private readonly samples: PromptSamplesRepository) {}

  /**
   * Up to `count` unused samples with a finished workload, oldest first, with their prompts and
   * answers. Does not reserve them: call from inside the (exclusive) batch and `markUsed` afterwards.
   */
  async takeUnused(count: number, manager?: EntityManager): Promise<LlmSample[]> {
    if (count <= 0) return [];
    const samples = await this.samples.unusedAnswered(count, manager);
    if (samples.length === 0) return [];
    const prompts = await this.samples.promptsOf(samples.map((s) => s.id), manager);
    const bySample = new Map<string, Prompt[]>();
    // String(): bigint ids arrive as strings from pg but as numbers from PGlite
    for (const p of prompts) bySample.set(String(p.sampleId), [...(bySample.get(String(p.sampleId)) ?? []), p]);
    return samples.map((s) => ({
      sampleId: String(s.id),
      seriesUuid: s.series!.seriesUuid,
      seriesUrl: s.series!.s3Url,
      workloadUuid: s.workload!.workloadUuid,
      seed: s.workload!.seed,
      prompts: (bySample.get(String(s.id)) ?? []).map((p) => ({ content: p.content, answer: p.answer ?? '' })),
    }));
  }

  /**
   * Links samples to the synthetic jobs that used them; a sample is never handed out again. Returns
   * how many were marked (a sample already used by another job is left alone).
   */
  async markUsed(uses: { sampleId: string; syntheticJobUuid: string }[], manager?: EntityManager, at = new Date()): Promise<number> {
    let marked = 0;
    for (const u of uses) marked += await this.samples.markUsed(u.sampleId, u.syntheticJobUuid, at, manager);
    return marked;
  }

  async counts(manager?: EntityManager): Promise<LlmSampleCounts> {
    const r = await this.samples.counts(manager);
    return {
      promptSeriesTotalCount: Number(r.series ?? 0),
      promptSampleUsedCount: Number(r.used ?? 0),
      promptSampleUnusedAnsweredCount: Number(r.unused_answered ?? 0),
      promptSampleUnusedUnansweredCount: Number(r.unused_unanswered ?? 0),
    };
  }

  /**
   * Daily eviction (spec §6.7): samples used before `cutoff` (with their prompts), then workloads
   * older than `cutoff` that have no samples left. Series are kept (their count caps generation).
   */
  async evict(cutoff: Date, manager?: EntityManager): Promise<{ samples: number; workloads: number }> {
    const samples = await this.samples.deleteUsedBefore(cutoff, manager);
    const workloads = await this.samples.deleteEmptyWorkloadsBefore(cutoff, manager);
    return { samples, workloads };
  }
}

export { PromptSeries, SolveWorkload, PromptSample, Prompt };
