import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MinerIncidentType = 'MINER_JOB_REJECTED' | 'MINER_JOB_FAILED' | 'MINER_HORDE_FAILED';

/** data-model.md §3.4: routing reliability input, one per job. */
@Entity('miner_incident')
export class MinerIncident {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  type!: MinerIncidentType;

  @CreateDateColumn({ type: 'timestamptz' })
  timestamp!: Date;

  @Column({ type: 'text', name: 'hotkey_ss58address' })
  hotkey!: string;

  @Column({ type: 'uuid', name: 'job_uuid', unique: true })
  jobUuid!: string;

  @Column({ type: 'varchar', length: 255, name: 'executor_class' })
  executorClass!: string;
}
