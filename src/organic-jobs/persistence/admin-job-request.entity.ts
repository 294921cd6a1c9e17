import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Miner } from '../../miners/registry/miner.entity';

/** data-model.md §3.3: jobs started by `debug-run-organic-job`. */
@Entity('admin_job_request')
export class AdminJobRequest {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', unique: true })
  uuid!: string;

  @ManyToOne(() => Miner, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'miner_id' })
  miner!: Miner;

  @Column({ type: 'bigint', name: 'miner_id' })
  minerId!: string;

  @Column({ type: 'varchar', length: 255, name: 'executor_class', default: 'spin_up-4min.gpu-24gb' })
  executorClass!: string;

  @Column({ type: 'integer', default: 300 })
  timeout!: number;

  @Column({ type: 'varchar', length: 255, name: 'docker_image' })
  dockerImage!: string;

  @Column({ type: 'text', default: '' })
  args!: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  env!: Record<string, string>;

  @Column({ type: 'boolean', name: 'use_gpu', default: false })
  useGpu!: boolean;

  @Column({ type: 'varchar', length: 1000, name: 'input_url', default: '' })
  inputUrl!: string;

  @Column({ type: 'text', name: 'output_url', default: '' })
  outputUrl!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'text', name: 'status_message', default: '' })
  statusMessage!: string;
}
