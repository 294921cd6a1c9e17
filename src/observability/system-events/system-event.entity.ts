import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { SystemEventData, SystemEventSubtype, SystemEventType } from './system-event.types';

/** Operator-visible event (reference: validator_systemevent). Also the stats-collector outbox. */
@Entity('system_event')
@Index('system_event_timestamp_idx', ['timestamp'])
export class SystemEvent {
  /** bigserial; pg returns it as a decimal string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  type!: SystemEventType;

  @Column({ type: 'varchar', length: 255 })
  subtype!: SystemEventSubtype;

  @CreateDateColumn({ type: 'timestamptz' })
  timestamp!: Date;

  @Column({ type: 'text', name: 'long_description', default: '' })
  longDescription!: string;

  @Column({ type: 'jsonb' })
  data!: SystemEventData;

  @Column({ type: 'boolean', default: false })
  sent!: boolean;
}
