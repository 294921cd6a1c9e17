import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintColumn } from '../../database/bigint.transformer';

/**
 * Every neuron seen on the subnet (reference: validator_miner), plus what the metagraph sync
 * knows about it now. Rows are never deleted: a neuron that leaves the metagraph gets
 * `inMetagraph = false`.
 */
@Entity('miner')
export class Miner {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** ss58. Special: 48 zeros = the trusted-miner pseudo-miner; DEBUG_MINER_KEY in debug setups. */
  @Column({ type: 'varchar', length: 255, unique: true })
  hotkey!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  coldkey!: string | null;

  @Column({ type: 'integer', nullable: true })
  uid!: number | null;

  @Column({ type: 'varchar', length: 255, default: '0.0.0.0' })
  address!: string;

  @Column({ type: 'integer', name: 'ip_version', default: 4 })
  ipVersion!: number;

  @Column({ type: 'integer', default: 0 })
  port!: number;

  /** Stake in rao (alpha units of the subnet). */
  @Column({ type: 'numeric', precision: 78, scale: 0, default: 0, transformer: bigintColumn })
  stake!: bigint;

  @Column({ type: 'boolean', name: 'validator_permit', default: false })
  validatorPermit!: boolean;

  @Column({ type: 'boolean', name: 'in_metagraph', default: true })
  inMetagraph!: boolean;

  @Column({ type: 'bigint', name: 'last_synced_block', nullable: true, transformer: bigintColumn })
  lastSyncedBlock!: bigint | null;

  @Column({ type: 'varchar', length: 42, name: 'evm_address', nullable: true })
  evmAddress!: string | null;

  @Column({ type: 'numeric', precision: 78, scale: 0, name: 'collateral_wei', default: 0, transformer: bigintColumn })
  collateralWei!: bigint;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

export const TRUSTED_MINER_PSEUDO_HOTKEY = '0'.repeat(48);
