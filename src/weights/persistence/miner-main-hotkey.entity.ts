import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintColumn } from '../../database/bigint.transformer';

/**
 * Which hotkey of a coldkey is its main one in a 722-grid cycle, as its miners answered
 * (reference: validator_minermainhotkey). Written once per (coldkey, cycle_start); never evicted.
 */
@Entity('miner_main_hotkey')
@Unique('miner_main_hotkey_coldkey_cycle', ['coldkey', 'cycleStart'])
export class MinerMainHotkey {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  coldkey!: string;

  @Column({ type: 'bigint', name: 'cycle_start', transformer: bigintColumn })
  cycleStart!: bigint;

  @Column({ type: 'varchar', length: 255, name: 'main_hotkey', nullable: true })
  mainHotkey!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
