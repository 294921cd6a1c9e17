import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Prompt } from './prompt.entity';
import { PromptSample } from './prompt-sample.entity';
import { PromptSeries } from './prompt-series.entity';
import { SolveWorkload } from './solve-workload.entity';

/**
 * The prompt tables as the cross-validation pipeline writes them: series after generation,
 * workloads with their samples and prompts after sampling, answers after answering.
 */
@Injectable()
export class PromptPipelineRepository {
  constructor(private readonly dataSource: DataSource) {}

  unansweredWorkloadCount(): Promise<number> {
    return this.dataSource.getRepository(SolveWorkload).count({ where: { finishedAt: IsNull() } });
  }

  /** Workloads the trusted miner has not answered yet, by id. */
  unansweredWorkloads(): Promise<SolveWorkload[]> {
    return this.dataSource.getRepository(SolveWorkload).find({ where: { finishedAt: IsNull() }, order: { id: 'ASC' } });
  }

  seriesCount(): Promise<number> {
    return this.dataSource.getRepository(PromptSeries).count();
  }

  /** Every series, by id. */
  allSeries(): Promise<PromptSeries[]> {
    return this.dataSource.getRepository(PromptSeries).find({ order: { id: 'ASC' } });
  }

  async insertSeries(series: { seriesUuid: string; s3Url: string; generatorVersion: number }[]): Promise<void> {
    await this.dataSource.getRepository(PromptSeries).insert(series);
  }

  unusedSampleCount(): Promise<number> {
    return this.dataSource.getRepository(PromptSample).count({ where: { syntheticJobUuid: IsNull() } });
  }

  /** One workload with a sample (and its unanswered prompts) per series, in one transaction. */
  async storeWorkload(workload: { workloadUuid: string; seed: number; s3Url: string }, samples: { seriesId: string; prompts: string[] }[]): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const w = await m.getRepository(SolveWorkload).save(m.getRepository(SolveWorkload).create({ ...workload, finishedAt: null }));
      for (const p of samples) {
        const s = await m.getRepository(PromptSample).save(m.getRepository(PromptSample).create({ seriesId: p.seriesId, workloadId: w.id, syntheticJobUuid: null, usedAt: null }));
        await m.getRepository(Prompt).insert(p.prompts.map((content) => ({ sampleId: s.id, content, answer: null })));
      }
    });
  }

  /** The workload's prompts that have no answer yet. */
  unansweredPrompts(workloadId: string): Promise<Prompt[]> {
    return this.dataSource
      .getRepository(Prompt)
      .createQueryBuilder('p')
      .innerJoin(PromptSample, 's', 's.id = p.sample_id')
      .where('s.workload_id = :w', { w: workloadId })
      .andWhere('p.answer IS NULL')
      .getMany();
  }

  /** Stores the answers and marks the workload finished, in one transaction. */
  async storeAnswers(workloadId: string, answers: { promptId: string; answer: string }[], finishedAt: Date): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      for (const a of answers) await m.getRepository(Prompt).update({ id: a.promptId }, { answer: a.answer });
      await m.getRepository(SolveWorkload).update({ id: workloadId }, { finishedAt });
    });
  }
}
