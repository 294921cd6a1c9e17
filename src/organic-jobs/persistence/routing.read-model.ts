import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What routing reads besides manifests and receipts: recent incidents, and the debug/trusted miner rows. */
@Injectable()
export class RoutingReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /** `miner_incident` rows per hotkey for an executor class since `since`. */
  async incidentCounts(executorClass: string, since: Date): Promise<Map<string, number>> {
    const rows: { hk: string; n: string }[] = await this.dataSource.query(
      `SELECT hotkey_ss58address AS hk, count(*) AS n FROM miner_incident WHERE executor_class = $1 AND timestamp >= $2 GROUP BY 1`,
      [executorClass, since.toISOString()]);
    return new Map(rows.map((r) => [r.hk, Number(r.n)]));
  }

  /** The miner row of `hotkey`, created when unknown (a debug miner, the trusted pseudo-miner). */
  async ensureMiner(hotkey: string): Promise<{ address: string; port: number; ipVersion: number }> {
    await this.dataSource.query(`INSERT INTO miner (hotkey) VALUES ($1) ON CONFLICT (hotkey) DO NOTHING`, [hotkey]);
    const rows: { address: string; port: number; ip_version: number }[] = await this.dataSource.query(
      `SELECT address, port, ip_version FROM miner WHERE hotkey = $1`, [hotkey]);
    return { address: rows[0].address, port: Number(rows[0].port), ipVersion: Number(rows[0].ip_version) };
  }
}
