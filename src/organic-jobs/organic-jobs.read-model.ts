import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { FacilitatorClientService } from './facilitator/facilitator-client.service';

export interface FacilitatorView {
  /** FACILITATOR_URI is set. */
  configured: boolean;
  /** Host of FACILITATOR_URI (no path, no credentials). */
  host: string | null;
  connected: boolean;
  jobsRunning: number;
  /** Status updates the facilitator has not answered yet (the outbox replays them after a reconnect). */
  unansweredStatuses: number;
}

export interface OrganicJobView {
  jobUuid: string;
  minerId: string;
  executorClass: string;
  status: string;
  /** Machine-readable outcome, e.g. `completed`, `declined:busy:excused` (never the job's output). */
  outcomeReason: string | null;
  updatedAt: Date;
}

export interface OrganicCounts {
  byStatus: Record<string, number>;
  /** minerId -> completed and other final jobs */
  byMiner: Map<string, { completed: number; other: number }>;
}

/** Read-only view of organic jobs and the facilitator connection for the status page and metrics. */
@Injectable()
export class OrganicJobsReadModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Optional() private readonly client?: FacilitatorClientService,
  ) {}

  async facilitator(): Promise<FacilitatorView> {
    const uri = this.config.facilitator.FACILITATOR_URI;
    const [{ n }] = (await this.dataSource.query(`SELECT count(*) AS n FROM facilitator_outbox WHERE acked_at IS NULL`)) as { n: string }[];
    return {
      configured: Boolean(uri),
      host: uri ? hostOf(uri) : null,
      connected: this.client?.connected ?? false,
      jobsRunning: this.client?.jobsRunning ?? 0,
      unansweredStatuses: Number(n),
    };
  }

  /** The newest jobs, newest first. */
  async recentJobs(limit: number): Promise<OrganicJobView[]> {
    const rows = (await this.dataSource.query(
      `SELECT job_uuid, miner_id, executor_class, status, outcome_reason, updated_at FROM organic_job ORDER BY id DESC LIMIT $1`, [limit],
    )) as { job_uuid: string; miner_id: string; executor_class: string; status: string; outcome_reason: string | null; updated_at: Date }[];
    return rows.map((r) => ({ jobUuid: r.job_uuid, minerId: String(r.miner_id), executorClass: r.executor_class, status: r.status, outcomeReason: r.outcome_reason, updatedAt: r.updated_at }));
  }

  /** Jobs updated since `since`: by status, and per miner completed vs other final outcomes. */
  async countsSince(since: Date): Promise<OrganicCounts> {
    const rows = (await this.dataSource.query(
      `SELECT miner_id, status, count(*) AS n FROM organic_job WHERE updated_at >= $1 GROUP BY 1, 2`, [since],
    )) as { miner_id: string; status: string; n: string }[];
    const byStatus: Record<string, number> = {};
    const byMiner = new Map<string, { completed: number; other: number }>();
    for (const r of rows) {
      const n = Number(r.n);
      byStatus[r.status] = (byStatus[r.status] ?? 0) + n;
      if (r.status === 'PENDING') continue;
      const m = byMiner.get(String(r.miner_id)) ?? { completed: 0, other: 0 };
      if (r.status === 'COMPLETED') m.completed += n;
      else m.other += n;
      byMiner.set(String(r.miner_id), m);
    }
    return { byStatus, byMiner };
  }
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return 'unparseable FACILITATOR_URI';
  }
}
