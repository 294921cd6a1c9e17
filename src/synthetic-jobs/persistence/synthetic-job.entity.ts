import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { MinerJobBase, type MinerJobStatus } from '../../miners/registry/miner-job.base-entity';
import { SyntheticJobBatch } from './synthetic-job-batch.entity';

export type SyntheticJobStatus = MinerJobStatus;

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
export class SyntheticJob extends MinerJobBase {
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
