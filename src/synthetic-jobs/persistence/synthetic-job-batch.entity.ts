import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn } from '../../database/bigint.transformer';
import { Cycle } from './cycle.entity';

/** One run of synthetic jobs against every serving miner (reference: validator_syntheticjobbatch). */
@Entity('synthetic_job_batch')
export class SyntheticJobBatch {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** Scheduled start block; unique (one batch per block). */
  @Column({ type: 'bigint', unique: true, transformer: bigintColumn })
  block!: bigint;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'cycle_id' })
  cycle!: Cycle;

  @Column({ type: 'bigint', name: 'cycle_id' })
  cycleId!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'accepting_results_until', nullable: true })
  acceptingResultsUntil!: Date | null;

  /** Set by weight setting once this batch's cycle was scored. */
  @Column({ type: 'boolean', default: false })
  scored!: boolean;

  @Column({ type: 'boolean', name: 'is_missed', default: false })
  isMissed!: boolean;

  /**
   * Ours: set when a started batch's results were never stored (the process stopped or the run failed);
   * such a batch is never run again and never scored (like a missed one).
   */
  @Column({ type: 'timestamptz', name: 'interrupted_at', nullable: true })
  interruptedAt!: Date | null;

  /** false for debug runs (debug-run-synthetic-jobs): never gate or feed weights. */
  @Column({ type: 'boolean', name: 'should_be_scored', default: true })
  shouldBeScored!: boolean;
}
