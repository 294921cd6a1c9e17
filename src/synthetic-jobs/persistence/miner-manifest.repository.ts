import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The `miner_manifest` table outside a batch's results: the polled manifests (no batch) that routing
 * and excuses read, and the peak batch's online counts that limit a non-peak batch.
 */
@Injectable()
export class MinerManifestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Online executor counts per miner hotkey and class of the first scored batch in the peak cycle
   * [peakStart, peakStop); empty when there is none.
   */
  async peakOnlineCounts(peakStart: number, peakStop: number): Promise<Map<string, Map<string, number>>> {
    const rows = (await this.dataSource.query(
      `SELECT m.hotkey, mm.executor_class, SUM(mm.online_executor_count)::int AS n
         FROM miner_manifest mm JOIN miner m ON m.id = mm.miner_id
        WHERE mm.batch_id = (SELECT id FROM synthetic_job_batch WHERE block >= $1 AND block < $2 AND should_be_scored ORDER BY id LIMIT 1)
        GROUP BY m.hotkey, mm.executor_class`,
      [peakStart, peakStop],
    )) as { hotkey: string; executor_class: string; n: number }[];
    const peakCounts = new Map<string, Map<string, number>>();
    for (const r of rows) {
      if (!peakCounts.has(r.hotkey)) peakCounts.set(r.hotkey, new Map());
      (peakCounts.get(r.hotkey) as Map<string, number>).set(r.executor_class, Number(r.n));
    }
    return peakCounts;
  }

  /** Polled manifests: one row per miner and class, every executor online. */
  async insertPolled(rows: { minerId: string; cls: string; n: number }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO miner_manifest (miner_id, batch_id, executor_class, executor_count, online_executor_count)
       SELECT miner_id, NULL, executor_class, n, n FROM jsonb_to_recordset($1::jsonb) AS x(miner_id bigint, executor_class varchar, n int)`,
      [JSON.stringify(rows.map((r) => ({ miner_id: r.minerId, executor_class: r.cls, n: r.n })))],
    );
  }

  /** For miners that did not answer: the classes of their newest polled manifest again, none online. */
  async repeatNewestOffline(minerIds: string[]): Promise<void> {
    if (minerIds.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO miner_manifest (miner_id, batch_id, executor_class, executor_count, online_executor_count)
       SELECT DISTINCT ON (miner_id, executor_class) miner_id, NULL, executor_class, executor_count, 0
         FROM miner_manifest WHERE batch_id IS NULL AND miner_id = ANY($1::bigint[])
        ORDER BY miner_id, executor_class, created_at DESC, id DESC`,
      [minerIds],
    );
  }

  /** Whether a serving miner (in the metagraph, with an address) has no polled manifest yet. */
  async someServingMinerLacksManifest(): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM miner m WHERE m.in_metagraph AND m.port > 0 AND m.address <> '0.0.0.0'
         AND NOT EXISTS (SELECT 1 FROM miner_manifest mm WHERE mm.miner_id = m.id AND mm.batch_id IS NULL) LIMIT 1`,
    )) as unknown[];
    return rows.length > 0;
  }
}
