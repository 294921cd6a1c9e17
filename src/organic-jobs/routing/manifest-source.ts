import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ServingMiner {
  hotkey: string;
  address: string;
  port: number;
  ipVersion: number;
  executorCount: number;
}

/**
 * Where routing learns which miners serve an executor class and how many executors they have. The
 * default reads the newest manifest-poll row per miner (`miner_manifest` with `batch_id IS NULL`:
 * what the miner itself declared, written by the synthetic-jobs module's manifest poll) joined to the
 * `miner` table for the address. Per-batch rows count the executors the batch was allowed to test and
 * how many of those succeeded (often fewer than the miner has), so they are never read here.
 */
export abstract class ManifestSource {
  /** Miners in the metagraph with a serving axon and at least one executor of `executorClass`. */
  abstract servingMiners(executorClass: string): Promise<ServingMiner[]>;
  /** The executor count a miner declared for a class at `at` (newest poll at or before it); 0 if none. */
  abstract executorCountAt(minerHotkey: string, executorClass: string, at: Date): Promise<number>;
}

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
