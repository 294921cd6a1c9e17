import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintColumn } from '../../database/bigint.transformer';

/** A netuid-aligned cycle [start, stop) that batches are filed under (reference: validator_cycle). */
@Entity('cycle')
@Unique('unique_cycle', ['start', 'stop'])
export class Cycle {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'bigint', transformer: bigintColumn })
  start!: bigint;

  @Column({ type: 'bigint', transformer: bigintColumn })
  stop!: bigint;
}
