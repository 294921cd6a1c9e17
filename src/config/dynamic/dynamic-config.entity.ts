import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Operator overrides of dynamic configuration (`validator-cli config set`). Values are JSON. */
@Entity('dynamic_config')
export class DynamicConfigRow {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** Stored as a JSON string value (bigints as decimal strings). */
  @Column({ type: 'jsonb' })
  value!: string | number | boolean;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
