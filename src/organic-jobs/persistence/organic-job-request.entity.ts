import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every job request the validator took on (answered `received`), stored before that answer goes out
 * (ours, not in the reference). The exact frame is kept until the job ends so an unfinished job can
 * be resumed or failed after a restart; `final_status` and `ended_at` are set in the same statement
 * that queues the job's end status in `facilitator_outbox`.
 */
@Entity('organic_job_request')
@Index('organic_job_request_unfinished_idx', ['receivedAt'], { where: 'ended_at IS NULL' })
export class OrganicJobRequest {
  /** The facilitator's job uuid as received (text: a malformed one still gets its final status). */
  @PrimaryColumn({ type: 'text', name: 'job_uuid' })
  jobUuid!: string;

  /** The V2JobRequest frame exactly as received; null once the job ended. */
  @Column({ type: 'text', nullable: true })
  request!: string | null;

  @Column({ type: 'timestamptz', name: 'received_at', default: () => 'now()' })
  receivedAt!: Date;

  /** The facilitator status that ended the job (completed, rejected, failed, horde_failed). */
  @Column({ type: 'varchar', length: 32, name: 'final_status', nullable: true })
  finalStatus!: string | null;

  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  /** How often the job was picked up again after a restart. */
  @Column({ type: 'integer', default: 0 })
  resumed!: number;
}
