import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** data-model.md §2.3: SDK-user hotkeys allowed to sign jobs for this validator (operator-managed). */
@Entity('validator_whitelist')
export class ValidatorWhitelist {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 255, unique: true })
  hotkey!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
