import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Miner } from '../../miners/registry/miner.entity';
import { SyntheticJobBatch } from './synthetic-job-batch.entity';

/** A miner's executor counts per class, per batch or (batch null) from periodic polls (reference: validator_minermanifest). */
@Entity('miner_manifest')
@Index('miner_manifest_created_idx', ['createdAt'])
@Index('miner_manifest_miner_created_idx', ['minerId', 'createdAt'])
@Index('miner_manifest_batch_created_idx', ['batchId', 'createdAt'])
export class MinerManifest {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @ManyToOne(() => Miner, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'miner_id' })
  miner!: Miner;

  @Column({ type: 'bigint', name: 'miner_id' })
  minerId!: string;

  @ManyToOne(() => SyntheticJobBatch, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'batch_id' })
  batch!: SyntheticJobBatch | null;

  @Column({ type: 'bigint', name: 'batch_id', nullable: true })
  batchId!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'executor_class' })
  executorClass!: string;

  @Column({ type: 'integer', name: 'executor_count', default: 0 })
  executorCount!: number;

  @Column({ type: 'integer', name: 'online_executor_count', default: 0 })
  onlineExecutorCount!: number;
}
