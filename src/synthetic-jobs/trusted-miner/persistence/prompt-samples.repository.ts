import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, LessThan, Not } from 'typeorm';
import { Prompt } from './prompt.entity';
import { PromptSample } from './prompt-sample.entity';

/** Raw counts behind `LlmSampleCounts` (decimal strings from pg, numbers from PGlite). */
export type PromptSampleCountRow = Record<string, string | number>;

/**
 * The prompt samples as the synthetic batch uses them: unused answered samples with their prompts,
 * marking them used, the telemetry counts and the daily eviction. Every method runs on `manager`
 * (a caller's transaction) when given.
 */
@Injectable()
export class PromptSamplesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `count` unused samples whose workload is finished, by id, with their series and workload. */
  unusedAnswered(count: number, manager: EntityManager = this.dataSource.manager): Promise<PromptSample[]> {
    return manager
      .getRepository(PromptSample)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.series', 'series')
      .innerJoinAndSelect('s.workload', 'w')
      .where('s.synthetic_job_uuid IS NULL')
      .andWhere('w.finished_at IS NOT NULL')
      .orderBy('s.id', 'ASC')
      .take(count)
      .getMany();
  }

  /** The prompts of these samples, by id. */
  promptsOf(sampleIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Prompt[]> {
    return manager.getRepository(Prompt).find({ where: { sampleId: In(sampleIds) }, order: { id: 'ASC' } });
  }

  /** Links one sample to its synthetic job unless another job took it; 1 when marked, else 0. */
  async markUsed(sampleId: string, syntheticJobUuid: string, at: Date, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const r = await manager.getRepository(PromptSample).update({ id: sampleId, syntheticJobUuid: IsNull() }, { syntheticJobUuid, usedAt: at });
    return r.affected ?? 0;
  }

  /** Series total, used samples, unused answered and unused unanswered samples (one row). */
  async counts(manager: EntityManager = this.dataSource.manager): Promise<PromptSampleCountRow> {
    const rows = (await manager.query(`
      SELECT
        (SELECT count(*) FROM prompt_series) AS series,
        count(*) FILTER (WHERE s.synthetic_job_uuid IS NOT NULL) AS used,
        count(*) FILTER (WHERE s.synthetic_job_uuid IS NULL AND w.finished_at IS NOT NULL) AS unused_answered,
        count(*) FILTER (WHERE s.synthetic_job_uuid IS NULL AND w.finished_at IS NULL) AS unused_unanswered
      FROM prompt_sample s JOIN solve_workload w ON w.id = s.workload_id`)) as PromptSampleCountRow[];
    return rows[0] ?? {};
  }

  /** Deletes samples used before `cutoff` (their prompts cascade); how many. */
  async deleteUsedBefore(cutoff: Date, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const samples = await manager.getRepository(PromptSample).delete({ syntheticJobUuid: Not(IsNull()), usedAt: LessThan(cutoff) });
    return samples.affected ?? 0;
  }

  /** Deletes workloads created before `cutoff` that have no samples left; how many. */
  async deleteEmptyWorkloadsBefore(cutoff: Date, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = (await manager.query(
      `WITH d AS (DELETE FROM solve_workload w WHERE w.created_at < $1
         AND NOT EXISTS (SELECT 1 FROM prompt_sample s WHERE s.workload_id = w.id) RETURNING 1)
       SELECT count(*) AS n FROM d`,
      [cutoff],
    )) as { n: string | number }[];
    return Number(rows[0]?.n ?? 0);
  }
}
