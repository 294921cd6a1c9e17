import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintColumn } from '../../database/bigint.transformer';

/**
 * pending: accepted, not sent yet (or waiting to retry); sent: transaction broadcast, receipt not
 * seen yet; succeeded: mined with status 1; failed: given up (reason in failureReason).
 */
export type CollateralSlashState = 'pending' | 'sent' | 'succeeded' | 'failed';

/**
 * One slash per organic job, ever: the primary key is the job uuid. The transaction hash is stored
 * before waiting for the receipt, so a restart or a receipt timeout never leads to a second send.
 */
@Entity('collateral_slash')
@Index('collateral_slash_state_idx', ['state'])
export class CollateralSlash {
  @PrimaryColumn({ type: 'varchar', length: 64, name: 'job_uuid' })
  jobUuid!: string;

  @Column({ type: 'varchar', length: 255, name: 'miner_hotkey' })
  minerHotkey!: string;

  @Column({ type: 'text', default: '' })
  details!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: CollateralSlashState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 42, name: 'evm_address', nullable: true })
  evmAddress!: string | null;

  @Column({ type: 'varchar', length: 42, name: 'contract_address', nullable: true })
  contractAddress!: string | null;

  @Column({ type: 'numeric', precision: 78, scale: 0, name: 'amount_wei', nullable: true, transformer: bigintColumn })
  amountWei!: bigint | null;

  @Column({ type: 'varchar', length: 66, name: 'tx_hash', nullable: true })
  txHash!: string | null;

  @Column({ type: 'varchar', length: 64, name: 'failure_reason', nullable: true })
  failureReason!: string | null;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', name: 'slashed_at', nullable: true })
  slashedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
