import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ManifestSource, ServingMiner } from '../routing/manifest-source';

/**
 * Routing's ManifestSource over the database: the newest manifest-poll row per miner (`miner_manifest`
 * with `batch_id IS NULL`, written by synthetic-jobs' manifest poll) joined to `miner` for the address.
 */
@Injectable()
export class MinerManifestTableSource extends ManifestSource {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async servingMiners(executorClass: string): Promise<ServingMiner[]> {
    const rows: { hotkey: string; address: string; port: number; ip_version: number; n: number }[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (mm.miner_id) m.hotkey, m.address, m.port, m.ip_version, mm.online_executor_count AS n
         FROM miner_manifest mm JOIN miner m ON m.id = mm.miner_id
         WHERE mm.executor_class = $1 AND mm.batch_id IS NULL AND m.in_metagraph AND m.port > 0
         ORDER BY mm.miner_id, mm.created_at DESC, mm.id DESC) latest
       WHERE n > 0 ORDER BY hotkey`,
      [executorClass]);
    return rows.map((r) => ({ hotkey: r.hotkey, address: r.address, port: Number(r.port), ipVersion: Number(r.ip_version), executorCount: Number(r.n) }));
  }

  async executorCountAt(minerHotkey: string, executorClass: string, at: Date): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT mm.online_executor_count AS n FROM miner_manifest mm JOIN miner m ON m.id = mm.miner_id
       WHERE m.hotkey = $1 AND mm.executor_class = $2 AND mm.batch_id IS NULL AND mm.created_at <= $3
       ORDER BY mm.created_at DESC, mm.id DESC LIMIT 1`,
      [minerHotkey, executorClass, at.toISOString()]);
    return rows.length ? Number(rows[0].n) : 0;
  }
}
