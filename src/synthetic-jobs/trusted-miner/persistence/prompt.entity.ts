import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PromptSample } from './prompt-sample.entity';

/** One sampled prompt line and, once the trusted miner answered, its answer (reference: validator_prompt). */
@Entity('prompt')
export class Prompt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('prompt_sample_id_idx')
  @Column({ type: 'bigint', name: 'sample_id' })
  sampleId!: string;

  @ManyToOne(() => PromptSample, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sample_id' })
  sample?: PromptSample;

  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'text', nullable: true })
  answer!: string | null;
}
