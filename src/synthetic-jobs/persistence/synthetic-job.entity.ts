import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Miner } from '../../miners/registry/miner.entity';
import { SyntheticJobBatch } from './synthetic-job-batch.entity';

export type SyntheticJobStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'EXCUSED';

/** A receipt this validator signed for the job, kept as the exact signed blob (also stored in the receipts tables after the batch). */
export interface StoredReceipt {
  receiptType: 'JobStartedReceipt' | 'JobAcceptedReceipt' | 'JobFinishedReceipt';
  /** The exact canonical JSON string that was signed. */
  blob: string;
  validatorSignature: string;
  /** Whether the miner was sent it (a send can fail; the receipt still exists). */
  sent: boolean;
}

/** One job sent to one executor of one miner in a batch (reference: validator_syntheticjob). */
@Entity('synthetic_job')
@Index('synthetic_job_batch_idx', ['batchId'])
@Index('synthetic_job_miner_idx', ['minerId'])
export class SyntheticJob {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'job_uuid', unique: true })
  jobUuid!: string;

  @ManyToOne(() => Miner, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'miner_id' })
  miner!: Miner;

  @Column({ type: 'bigint', name: 'miner_id' })
  minerId!: string;

  @Column({ type: 'varchar', length: 255, name: 'miner_address' })
  minerAddress!: string;

  @Column({ type: 'integer', name: 'miner_address_ip_version' })
  minerAddressIpVersion!: number;

  @Column({ type: 'integer', name: 'miner_port' })
  minerPort!: number;

  @Column({ type: 'varchar', length: 255, name: 'executor_class', default: 'spin_up-4min.gpu-24gb' })
  executorClass!: string;

  @Column({ type: 'text', default: 'PENDING' })
  status!: SyntheticJobStatus;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'text', default: '' })
  comment!: string;

  @Column({ type: 'text', name: 'job_description', default: '' })
  jobDescription!: string;

  @ManyToOne(() => SyntheticJobBatch, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'batch_id' })
  batch!: SyntheticJobBatch;

  @Column({ type: 'bigint', name: 'batch_id' })
  batchId!: string;

  /** 1.0 correct and in time, 0.0 otherwise, DYNAMIC_EXCUSED_SYNTHETIC_JOB_SCORE when excused. */
  @Column({ type: 'double precision', default: 0 })
  score!: number;

  /** Machine-readable failure kind (e.g. DECLINED, TIMED_OUT, WRONG_ANSWER); null when COMPLETED. */
  @Column({ type: 'varchar', length: 64, name: 'failure_kind', nullable: true })
  failureKind!: string | null;

  /** Receipts this validator signed for the job (exact blobs). */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  receipts!: StoredReceipt[];
}
