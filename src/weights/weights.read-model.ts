import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { WeightsRow, type WeightsMode, type WeightsPath, type WeightsStatus } from './persistence/weights.entity';

/** How weights went on chain: `set_weights`, a hash commit revealed later, or a drand-timelocked commit. */
export type WeightsHow = 'set' | 'hash commit' | 'timelocked commit';

/** One round of weight setting as the status page and metrics see it. */
export interface WeightsView {
  id: string;
  cycle: { start: number; stop: number };
  mode: WeightsMode;
  how: WeightsHow;
  /** The extrinsic that carried them (null until submitted). */
  path: WeightsPath | null;
  /** Timelocked commits: the drand round that decrypts them. */
  revealRound: number | null;
  /** Blocks in which the reveal is due (ours for a hash commit, the chain's for a timelocked one). */
  revealBlocks: { first: number; last: number } | null;
  status: WeightsStatus;
  /** Head when the set or commit landed (null until then). */
  block: number | null;
  scoredAtBlock: number;
  createdAt: Date;
  updatedAt: Date;
  revealedAt: Date | null;
  /** For commits: whether the reveal landed, ours or the chain's (null for a direct set). */
  revealed: boolean | null;
  uids: number[];
  /** u16 values as submitted, same order as `uids`. */
  weights: number[];
  /** hotkey -> score */
  scores: Record<string, number>;
  attempts: number;
  /** First line of the last chain error, if any. */
  lastError: string | null;
}

/** Statuses in which weights are on chain. */
export const LANDED_STATUSES: readonly WeightsStatus[] = ['set', 'committed', 'revealed'];

/** Read-only view of the `weights` table for the status page and metrics. */
@Injectable()
export class WeightsReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /** The newest rounds, newest first. */
  async recent(limit: number): Promise<WeightsView[]> {
    const rows = await this.dataSource.getRepository(WeightsRow).find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
    return rows.map(toView);
  }

  /** The newest round whose weights landed on chain (set, committed or revealed). */
  async lastLanded(): Promise<WeightsView | null> {
    const row = await this.dataSource.getRepository(WeightsRow).findOne({ where: { status: In([...LANDED_STATUSES]) }, order: { createdAt: 'DESC', id: 'DESC' } });
    return row ? toView(row) : null;
  }
}

function toView(r: WeightsRow): WeightsView {
  const how: WeightsHow = r.mode === 'set_weights' ? 'set' : r.mode === 'timelocked' ? 'timelocked commit' : 'hash commit';
  return {
    id: r.id,
    cycle: { start: Number(r.cycleStart), stop: Number(r.cycleStop) },
    mode: r.mode,
    how,
    path: r.path,
    revealRound: r.revealRound === null ? null : Number(r.revealRound),
    revealBlocks: r.firstRevealBlock === null || r.lastRevealBlock === null ? null : { first: Number(r.firstRevealBlock), last: Number(r.lastRevealBlock) },
    status: r.status,
    block: r.block === null ? null : Number(r.block),
    scoredAtBlock: Number(r.scoredAtBlock),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    revealedAt: r.revealedAt,
    revealed: how === 'set' ? null : r.status === 'revealed',
    uids: r.uids,
    weights: r.weights,
    scores: r.scores,
    attempts: r.attempts,
    lastError: r.lastError ? r.lastError.split('\n')[0].slice(0, 200) : null,
  };
}
