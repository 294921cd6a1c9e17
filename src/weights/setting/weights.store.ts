import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { WeightsRow } from '../persistence/weights.entity';
import { ScoringInputsRepository } from '../scoring-inputs/scoring-inputs.repository';

export type NewWeightsRow = Omit<
  WeightsRow,
  'id' | 'createdAt' | 'updatedAt' | 'revealedAt' | 'attempts' | 'revealAttempts' | 'lastError' | 'block' | 'path' | 'revealRound' | 'commitEpoch' | 'firstRevealBlock' | 'lastRevealBlock'
>;

type Patchable =
  | 'status' | 'attempts' | 'revealAttempts' | 'lastError' | 'block' | 'commitHash' | 'revealedAt'
  | 'path' | 'revealRound' | 'commitEpoch' | 'firstRevealBlock' | 'lastRevealBlock';

/** The `weights` table: one row per scored cycle. */
@Injectable()
export class WeightsStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inputs: ScoringInputsRepository,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(WeightsRow);
  }

  findForCycle(start: number, stop: number): Promise<WeightsRow | null> {
    return this.repo.findOne({ where: { cycleStart: BigInt(start), cycleStop: BigInt(stop) } });
  }

  findById(id: string): Promise<WeightsRow | null> {
    return this.repo.findOne({ where: { id } });
  }

  /** The newest row (the reference only ever reveals the newest commit). */
  newest(): Promise<WeightsRow | null> {
    return this.repo.findOne({ where: {}, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Rows whose commit landed and still waits for its reveal, oldest first. */
  committed(): Promise<WeightsRow[]> {
    return this.repo.find({ where: { status: 'committed' }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  recent(limit: number): Promise<WeightsRow[]> {
    return this.repo.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /**
   * Stores the round's weights and marks its batches scored, atomically. Returns undefined when
   * another process stored this cycle first (unique cycle).
   */
  async insertAndMarkScored(row: NewWeightsRow, batchIds: readonly string[]): Promise<WeightsRow | undefined> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const saved = await manager.getRepository(WeightsRow).save(manager.getRepository(WeightsRow).create(row));
        await this.inputs.markBatchesScored(batchIds, manager);
        return saved;
      });
    } catch (e) {
      if (e instanceof QueryFailedError && /weights_one_per_cycle|duplicate key/.test(e.message)) return undefined;
      throw e;
    }
  }

  async update(id: string, patch: Partial<Pick<WeightsRow, Patchable>>): Promise<void> {
    await this.repo.update({ id }, patch);
  }
}
