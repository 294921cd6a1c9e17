import { Column, Entity, Index } from 'typeorm';
import { MinerJobBase, type MinerJobStatus } from '../../miners/registry/miner-job.base-entity';
import { bigintColumn } from '../../database/bigint.transformer';

export type OrganicJobStatus = MinerJobStatus;

/** One organic job sent to a miner (data-model.md §3.2, organic-jobs.md §7.1). */
@Entity('organic_job')
@Index('organic_job_block_idx', ['block'])
export class OrganicJob extends MinerJobBase {
  @Column({ type: 'text', default: '' })
  stdout!: string;

  @Column({ type: 'text', default: '' })
  stderr!: string;

  @Column({ type: 'text', name: 'error_type', nullable: true })
  errorType!: string | null;

  @Column({ type: 'text', name: 'error_detail', nullable: true })
  errorDetail!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  artifacts!: Record<string, string>;

  @Column({ type: 'jsonb', name: 'upload_results', default: () => `'{}'` })
  uploadResults!: Record<string, string>;

  @Column({ type: 'varchar', length: 100, nullable: true })
  namespace!: string | null;

  @Column({ type: 'boolean', default: false })
  cheated!: boolean;

  @Column({ type: 'timestamptz', name: 'cheat_reported_at', nullable: true })
  cheatReportedAt!: Date | null;

  @Column({ type: 'boolean', default: false })
  slashed!: boolean;

  @Column({ type: 'timestamptz', name: 'slashed_at', nullable: true })
  slashedAt!: Date | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintColumn })
  block!: bigint | null;

  @Column({ type: 'boolean', name: 'on_trusted_miner', default: false })
  onTrustedMiner!: boolean;

  @Column({ type: 'jsonb', name: 'streaming_details', nullable: true })
  streamingDetails!: { public_key: string; executor_ip: string | null } | null;

  @Column({ type: 'bigint', name: 'allowance_reservation_id', nullable: true, transformer: bigintColumn })
  allowanceReservationId!: bigint | null;

  @Column({ type: 'bigint', array: true, name: 'allowance_blocks', nullable: true, default: () => `'{}'` })
  allowanceBlocks!: string[] | null;

  @Column({ type: 'integer', name: 'allowance_job_value', default: 0 })
  allowanceJobValue!: number;

  /** Ours: machine-readable outcome (e.g. `initial_response_timed_out`, `declined:busy`), for operators and tests. */
  @Column({ type: 'varchar', length: 100, name: 'outcome_reason', nullable: true })
  outcomeReason!: string | null;
}
