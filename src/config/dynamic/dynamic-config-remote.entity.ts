import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The last value the subnet owner's source gave for a key (the reference's constance rows written
 * by `fetch_dynamic_config`). Kept across restarts; a key the source stops publishing keeps its
 * last value, as in the reference.
 */
@Entity('dynamic_config_remote')
export class DynamicConfigRemoteRow {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** As stored in `dynamic_config.value` (bigints as decimal strings). */
  @Column({ type: 'jsonb' })
  value!: string | number | boolean;

  /** Where it came from: `contract 0x…` or the file URL. */
  @Column({ type: 'text' })
  origin!: string;

  @UpdateDateColumn({ type: 'timestamptz', name: 'fetched_at' })
  fetchedAt!: Date;
}
