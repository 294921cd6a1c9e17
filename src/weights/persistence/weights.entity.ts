import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { bigintColumn } from '../../database/bigint.transformer';

/**
 * set_weights: weights go on chain directly; commit_reveal: hash commit now, reveal one interval
 * later; timelocked: drand-timelocked commit that the chain reveals by itself.
 */
export type WeightsMode = 'set_weights' | 'commit_reveal' | 'timelocked';

/** The extrinsic that carried the weights. */
export type WeightsPath = 'set_weights' | 'commit_weights' | 'commit_crv3_weights' | 'commit_timelocked_weights';

/**
 * pending: computed and stored, not (yet) on chain; set / committed / revealed: what landed
 * (revealed: by our reveal_weights, or for a timelocked commit applied by the chain itself);
 * failed: every attempt of the window failed (no retry, like the reference); skipped: nothing to
 * submit (all weights zero); expired: a hash commit never revealed in time; not_applied: a
 * timelocked commit the chain did not apply (its reveal blocks passed).
 */
export type WeightsStatus = 'pending' | 'set' | 'committed' | 'revealed' | 'failed' | 'skipped' | 'expired' | 'not_applied';

/**
 * One weight setting per scored cycle (reference: validator_weights, extended): the weights that
 * were computed, how they were submitted and where that stands. The unique cycle makes a round
 * idempotent across restarts and replicas.
 */
@Entity('weights')
@Unique('weights_one_per_cycle', ['cycleStart', 'cycleStop'])
export class WeightsRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** The scored (netuid-aligned) cycle: the selected batch's cycle. */
  @Column({ type: 'bigint', name: 'cycle_start', transformer: bigintColumn })
  cycleStart!: bigint;

  @Column({ type: 'bigint', name: 'cycle_stop', transformer: bigintColumn })
  cycleStop!: bigint;

  @Column({ type: 'bigint', name: 'batch_id', nullable: true })
  batchId!: string | null;

  /** Head when the scores were computed. */
  @Column({ type: 'bigint', name: 'scored_at_block', transformer: bigintColumn })
  scoredAtBlock!: bigint;

  @Column({ type: 'text' })
  mode!: WeightsMode;

  @Column({ type: 'text' })
  status!: WeightsStatus;

  @Column({ type: 'integer', array: true })
  uids!: number[];

  /** u16 values as submitted (same order as uids). */
  @Column({ type: 'integer', array: true })
  weights!: number[];

  /** The float weights before the u16 conversion (same order as uids). */
  @Column({ type: 'jsonb', name: 'float_weights' })
  floatWeights!: number[];

  /** hotkey -> score from the scoring engine. */
  @Column({ type: 'jsonb' })
  scores!: Record<string, number>;

  /** 8 random bytes as integers (hash commit only; empty for set_weights). */
  @Column({ type: 'integer', array: true })
  salt!: number[];

  @Column({ type: 'bigint', name: 'version_key', transformer: bigintColumn })
  versionKey!: bigint;

  @Column({ type: 'text', name: 'commit_hash', nullable: true })
  commitHash!: string | null;

  /** Head when the commit (or set) landed. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintColumn })
  block!: bigint | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'integer', name: 'reveal_attempts', default: 0 })
  revealAttempts!: number;

  @Column({ type: 'text', nullable: true })
  path!: WeightsPath | null;

  /** Timelocked commits: the drand round whose pulse decrypts them. */
  @Column({ type: 'bigint', name: 'reveal_round', nullable: true, transformer: bigintColumn })
  revealRound!: bigint | null;

  /** Timelocked commits: the epoch the chain files the commit under. */
  @Column({ type: 'bigint', name: 'commit_epoch', nullable: true, transformer: bigintColumn })
  commitEpoch!: bigint | null;

  /** The blocks in which the chain accepts our reveal (hash) or reveals by itself (timelocked). */
  @Column({ type: 'bigint', name: 'first_reveal_block', nullable: true, transformer: bigintColumn })
  firstRevealBlock!: bigint | null;

  @Column({ type: 'bigint', name: 'last_reveal_block', nullable: true, transformer: bigintColumn })
  lastRevealBlock!: bigint | null;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', name: 'revealed_at', nullable: true })
  revealedAt!: Date | null;
}
