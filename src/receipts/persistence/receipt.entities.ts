import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn } from '../../database/bigint.transformer';

/**
 * Receipts (data-model.md §7). Besides the reference's columns every row keeps `payload_blob`, the
 * exact text both signatures cover, so a receipt can be re-verified without re-serialising (a JS Date
 * would drop the microseconds of the timestamp).
 */
abstract class ReceiptRowBase {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'job_uuid', unique: true })
  jobUuid!: string;

  @Column({ type: 'varchar', length: 256, name: 'validator_hotkey' })
  validatorHotkey!: string;

  @Column({ type: 'varchar', length: 256, name: 'miner_hotkey' })
  minerHotkey!: string;

  @Column({ type: 'varchar', length: 256, name: 'validator_signature' })
  validatorSignature!: string;

  @Column({ type: 'varchar', length: 256, name: 'miner_signature', nullable: true })
  minerSignature!: string | null;

  @Column({ type: 'timestamptz' })
  timestamp!: Date;

  @Column({ type: 'text', name: 'payload_blob' })
  payloadBlob!: string;
}

@Entity('job_started_receipt')
@Index('job_started_receipt_ts_idx', ['timestamp'])
export class JobStartedReceiptRow extends ReceiptRowBase {
  @Column({ type: 'varchar', length: 255, name: 'executor_class', default: 'spin_up-4min.gpu-24gb' })
  executorClass!: string;

  @Column({ type: 'boolean', name: 'is_organic' })
  isOrganic!: boolean;

  @Column({ type: 'integer' })
  ttl!: number;
}

@Entity('job_accepted_receipt')
@Index('job_accepted_receipt_ts_idx', ['timestamp'])
export class JobAcceptedReceiptRow extends ReceiptRowBase {
  @Column({ type: 'timestamptz', name: 'time_accepted' })
  timeAccepted!: Date;

  @Column({ type: 'integer' })
  ttl!: number;
}

@Entity('job_finished_receipt')
@Index('job_finished_receipt_ts_idx', ['timestamp'])
export class JobFinishedReceiptRow extends ReceiptRowBase {
  @Column({ type: 'timestamptz', name: 'time_started' })
  timeStarted!: Date;

  @Column({ type: 'bigint', name: 'time_took_us', transformer: bigintColumn })
  timeTookUs!: bigint;

  @Column({ type: 'varchar', length: 256, name: 'score_str' })
  scoreStr!: string;

  @Column({ type: 'jsonb', name: 'block_numbers', default: () => `'[]'` })
  blockNumbers!: number[];
}

/** Receipt-transfer checkpoints (the reference keeps them in its cache): byte offset per page URL. */
@Entity('receipt_transfer_checkpoint')
export class ReceiptTransferCheckpoint {
  @PrimaryColumn({ type: 'text' })
  url!: string;

  @Column({ type: 'bigint', transformer: bigintColumn })
  position!: bigint;
}
