import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

const seedColumn = {
  to: (v: number | null | undefined) => (v === null || v === undefined ? v : String(v)),
  from: (v: string | number | bigint | null) => (v === null || v === undefined ? v : Number(v)),
};

/** Prompts sampled from many series, answered together by the trusted miner (reference: validator_solveworkload). */
@Entity('solve_workload')
export class SolveWorkload {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'workload_uuid', unique: true })
  workloadUuid!: string;

  /** 0 … 2^32−1: fits a JS number exactly. */
  @Column({ type: 'bigint', transformer: seedColumn })
  seed!: number;

  /** Public URL of the workload prompt file in the answers bucket. */
  @Column({ type: 'varchar', length: 1000, name: 's3_url' })
  s3Url!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Index('solve_workload_finished_at_idx')
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
