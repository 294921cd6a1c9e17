import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PromptSeries } from './prompt-series.entity';
import { SolveWorkload } from './solve-workload.entity';

/**
 * Prompts taken from one series into one workload (reference: validator_promptsample). Used by at most
 * one synthetic job: `syntheticJobUuid` is set when a batch consumes it (see README: the reference's
 * FK to SyntheticJob is a uuid column here).
 */
@Entity('prompt_sample')
@Unique('prompt_sample_series_workload_uniq', ['seriesId', 'workloadId'])
@Index('prompt_sample_unused_idx', ['syntheticJobUuid', 'workloadId'])
export class PromptSample {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'bigint', name: 'series_id' })
  seriesId!: string;

  @ManyToOne(() => PromptSeries, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'series_id' })
  series?: PromptSeries;

  @Column({ type: 'bigint', name: 'workload_id' })
  workloadId!: string;

  @ManyToOne(() => SolveWorkload, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workload_id' })
  workload?: SolveWorkload;

  @Column({ type: 'uuid', name: 'synthetic_job_uuid', nullable: true })
  syntheticJobUuid!: string | null;

  @Column({ type: 'timestamptz', name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
