import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrganicJob } from '../../organic-jobs/persistence/organic-job.entity';
import { CollateralSlash } from '../slashing/collateral-slash.entity';

/** The `collateral_slash` table: one row per slashed job. */
@Injectable()
export class CollateralSlashRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(CollateralSlash);
  }

  /** Inserts the job's `pending` row; false when the job already has one. */
  async claim(input: { jobUuid: string; minerHotkey: string; details: string }): Promise<boolean> {
    const inserted = await this.repo
      .createQueryBuilder()
      .insert()
      .values({ jobUuid: input.jobUuid, minerHotkey: input.minerHotkey, details: input.details, state: 'pending', attempts: 0 })
      .orIgnore()
      .returning(['job_uuid'])
      .execute();
    return (inserted.raw as unknown[]).length > 0;
  }

  async get(jobUuid: string): Promise<CollateralSlash> {
    return this.repo.findOneByOrFail({ jobUuid });
  }

  /** `sent` and `pending` rows, oldest first. */
  async unfinished(): Promise<CollateralSlash[]> {
    return this.repo.find({ where: [{ state: 'sent' }, { state: 'pending' }], order: { createdAt: 'ASC' } });
  }

  async update(jobUuid: string, changes: Partial<Pick<CollateralSlash, 'attempts' | 'state' | 'lastError' | 'failureReason' | 'txHash' | 'evmAddress' | 'contractAddress' | 'amountWei'>>): Promise<void> {
    await this.repo.update({ jobUuid }, changes);
  }

  /**
   * The slash succeeded: its row and the job's own flags (`organic_job.slashed`, `slashed_at`, as the
   * reference sets them) change together, in one transaction.
   */
  async markSucceeded(jobUuid: string, slashedAt: Date): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.getRepository(CollateralSlash).update({ jobUuid }, { state: 'succeeded', slashedAt, failureReason: null, lastError: null });
      await em.createQueryBuilder().update(OrganicJob).set({ slashed: true, slashedAt })
        .where('job_uuid::text = lower(:jobUuid)', { jobUuid }).execute();
    });
  }
}
