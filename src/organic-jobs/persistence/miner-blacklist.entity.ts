import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Miner } from '../../miners/registry/miner.entity';

export type BlacklistReason = 'MANUAL' | 'JOB_FAILED' | 'JOB_CHEATED';

/** data-model.md §2.2. Active = expires_at null or in the future. */
@Entity('miner_blacklist')
export class MinerBlacklist {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @ManyToOne(() => Miner, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'miner_id' })
  miner!: Miner;

  @Column({ type: 'bigint', name: 'miner_id' })
  minerId!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'blacklisted_at' })
  blacklistedAt!: Date;

  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'text', default: 'MANUAL' })
  reason!: BlacklistReason;

  @Column({ type: 'text', name: 'reason_details', default: '' })
  reasonDetails!: string;
}
