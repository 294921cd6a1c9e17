import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { END_STATUSES } from '../../protocol/facilitator';
import { Batcher } from '../../receipts/batcher';
import { flatRows } from './organic-job.repository';

export interface OutboxInsert {
  uuid: string;
  status: string;
  frame: string;
}

export interface PendingOutboxRow {
  id: string;
  frame: string;
}

/** A job the validator took on and never ended (found at start, after a stop or a crash). */
export interface UnfinishedJob {
  jobUuid: string;
  /** The request frame exactly as received. */
  request: string;
  receivedAt: Date;
  resumed: number;
  /** Statuses already queued for the facilitator, in order. */
  queued: string[];
  /** The organic_job row, when the job was routed to a miner. */
  organicJob: { status: string; minerHotkey: string; executorClass: string } | null;
}

const END_LIST = END_STATUSES.map((s) => `'${s}'`).join(',');

/**
 * The job journal of the facilitator connection: `organic_job_request` (every job taken on, stored
 * before `received` goes out) and `facilitator_outbox` (every status update, until the facilitator
 * answered it). A job ends in the same statement that queues its end status.
 */
@Injectable()
export class JobJournalRepository {
  /** Requests arriving together are stored with one statement (one commit instead of one per job). */
  private readonly admissions = new Batcher<{ uuid: string; frame: string }, boolean>((items) => this.admitMany(items), 2);

  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new job request; false when the uuid is already known (a repeated request). */
  admit(uuid: string, frame: string): Promise<boolean> {
    return this.admissions.add({ uuid, frame });
  }

  private async admitMany(items: readonly { uuid: string; frame: string }[]): Promise<boolean[]> {
    const params: string[] = [];
    const values = items.map((it) => {
      params.push(it.uuid, it.frame);
      return `($${params.length - 1}, $${params.length})`;
    });
    const rows = flatRows(await this.dataSource.query(
      `INSERT INTO organic_job_request (job_uuid, request) VALUES ${values.join(',')} ON CONFLICT (job_uuid) DO NOTHING RETURNING job_uuid`, params)) as { job_uuid: string }[];
    const fresh = new Set(rows.map((r) => r.job_uuid));
    // the same uuid twice in one burst: only the first caller stored it
    return items.map((it) => fresh.delete(it.uuid));
  }

  /**
   * Queues status updates (one multi-row statement per burst). Returns each item's outbox id, or null
   * when that (job, status) was already queued. An end status also ends its job's journal row.
   */
  async queue(items: readonly OutboxInsert[]): Promise<(string | null)[]> {
    const params: string[] = [];
    const values = items.map((it) => {
      params.push(it.uuid, it.status, it.frame);
      return `($${params.length - 2}, $${params.length - 1}, $${params.length})`;
    });
    const rows: { id: string; job_uuid: string; status: string }[] = await this.dataSource.query(
      `WITH ins AS (
         INSERT INTO facilitator_outbox (job_uuid, status, frame) VALUES ${values.join(',')}
         ON CONFLICT (job_uuid, status) DO NOTHING RETURNING id, job_uuid, status
       ), ended AS (
         UPDATE organic_job_request r SET final_status = ins.status, ended_at = now(), request = NULL
           FROM ins WHERE r.job_uuid = ins.job_uuid AND ins.status IN (${END_LIST}) AND r.ended_at IS NULL
         RETURNING r.job_uuid
       )
       SELECT id::text AS id, job_uuid, status FROM ins`, params);
    const ids = new Map(rows.map((r) => [`${r.job_uuid}\u0000${r.status}`, r.id]));
    // the same (job, status) twice in one burst: only the first caller gets the id
    return items.map((it) => {
      const key = `${it.uuid}\u0000${it.status}`;
      const id = ids.get(key) ?? null;
      ids.delete(key);
      return id;
    });
  }

  /** Every update the facilitator has not answered yet, in the order it was queued. */
  async unanswered(): Promise<PendingOutboxRow[]> {
    return this.dataSource.query(`SELECT id::text AS id, frame FROM facilitator_outbox WHERE acked_at IS NULL ORDER BY facilitator_outbox.id`);
  }

  async markAnswered(answers: readonly { id: string; error: string | null }[]): Promise<void> {
    const ok = answers.filter((a) => a.error === null).map((a) => a.id);
    if (ok.length) await this.dataSource.query(`UPDATE facilitator_outbox SET acked_at = now() WHERE id = ANY($1::bigint[])`, [ok]);
    for (const f of answers.filter((a) => a.error !== null)) {
      await this.dataSource.query(`UPDATE facilitator_outbox SET acked_at = now(), ack_error = $2 WHERE id = $1`, [f.id, f.error]);
    }
  }

  /** Jobs taken on that never ended, oldest first, with what was already queued for them. */
  async unfinished(): Promise<UnfinishedJob[]> {
    const rows: { job_uuid: string; request: string | null; received_at: Date; resumed: number; queued: string[] | null; oj_status: string | null; executor_class: string | null; hotkey: string | null }[] =
      await this.dataSource.query(
        `SELECT r.job_uuid, r.request, r.received_at, r.resumed,
                (SELECT array_agg(o.status ORDER BY o.id) FROM facilitator_outbox o WHERE o.job_uuid = r.job_uuid) AS queued,
                j.status AS oj_status, j.executor_class, m.hotkey
           FROM organic_job_request r
           LEFT JOIN organic_job j ON j.job_uuid::text = lower(r.job_uuid)
           LEFT JOIN miner m ON m.id = j.miner_id
          WHERE r.ended_at IS NULL ORDER BY r.received_at, r.job_uuid`);
    return rows.map((r) => ({
      jobUuid: r.job_uuid, request: r.request ?? '', receivedAt: r.received_at, resumed: Number(r.resumed), queued: r.queued ?? [],
      organicJob: r.oj_status === null ? null : { status: r.oj_status, minerHotkey: r.hotkey ?? '', executorClass: r.executor_class ?? '' },
    }));
  }

  /**
   * A stop between queuing a job's end status and saving its row leaves the row PENDING: the row
   * takes the outcome the facilitator was sent (COMPLETED or FAILED; the miner's output is lost).
   */
  async settleRowsOfEndedJobs(): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE organic_job j SET status = CASE WHEN r.final_status = 'completed' THEN 'COMPLETED' ELSE 'FAILED' END,
              comment = 'Outcome "' || r.final_status || '" was sent to the facilitator; the validator stopped before storing its details',
              outcome_reason = 'validator_restarted', updated_at = now()
         FROM organic_job_request r
        WHERE j.job_uuid::text = lower(r.job_uuid) AND r.ended_at IS NOT NULL AND j.status = 'PENDING'
       RETURNING j.id`);
    return flatRows(rows).length;
  }

  async markResumed(uuid: string): Promise<void> {
    await this.dataSource.query(`UPDATE organic_job_request SET resumed = resumed + 1 WHERE job_uuid = $1`, [uuid]);
  }
}
