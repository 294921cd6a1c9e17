import { Column, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Miner } from './miner.entity';

/** The status of a job sent to a miner, organic or synthetic (the reference's JobBase). */
export type MinerJobStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'EXCUSED';

/**
 * The columns every job sent to a miner has, organic (`organic_job`) and synthetic (`synthetic_job`),
 * as the reference's abstract JobBase model (data-model.md §3). Each table still has all of them
 * (TypeORM concrete-table inheritance: nothing changes in the schema or the migrations).
 */
export abstract class MinerJobBase {
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
  status!: MinerJobStatus;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'text', default: '' })
  comment!: string;

  @Column({ type: 'text', name: 'job_description', default: '' })
  jobDescription!: string;
}
