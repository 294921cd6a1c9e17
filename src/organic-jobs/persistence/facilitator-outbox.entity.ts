import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Status updates waiting for the facilitator's acknowledgement (organic-jobs.md §2.5.4, recommended
 * outbox). One row per (job, status); drained in id order after every (re)authentication.
 */
@Entity('facilitator_outbox')
@Index('facilitator_outbox_pending_idx', ['id'], { where: 'acked_at IS NULL' })
export class FacilitatorOutboxRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text', name: 'job_uuid' })
  jobUuid!: string;

  @Column({ type: 'varchar', length: 32 })
  status!: string;

  /** The exact V0JobStatusUpdate frame. */
  @Column({ type: 'text' })
  frame!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'acked_at', nullable: true })
  ackedAt!: Date | null;

  /** The facilitator's error type when it refused the update (e.g. job.not_found). */
  @Column({ type: 'text', name: 'ack_error', nullable: true })
  ackError!: string | null;
}
