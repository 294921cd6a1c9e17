import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What the receipt transfer reads and writes: its `receipt_transfer_checkpoint` rows and the serving miners. */
@Injectable()
export class ReceiptTransferRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Miners in the metagraph with an axon (address ≠ 0.0.0.0, port > 0), by hotkey. */
  async servingMiners(): Promise<{ hotkey: string; address: string; port: number }[]> {
    const rows: { hotkey: string; address: string; port: number }[] = await this.dataSource.query(
      `SELECT hotkey, address, port FROM miner WHERE in_metagraph AND port > 0 AND address <> '0.0.0.0' ORDER BY hotkey`);
    return rows.map((r) => ({ ...r, port: Number(r.port) }));
  }

  /** The byte position reached in a page URL (0 when never fetched). */
  async checkpoint(url: string): Promise<bigint> {
    const rows: { position: string }[] = await this.dataSource.query(`SELECT position::text AS position FROM receipt_transfer_checkpoint WHERE url = $1`, [url]);
    return rows.length ? BigInt(rows[0].position) : 0n;
  }

  async setCheckpoint(url: string, position: bigint): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO receipt_transfer_checkpoint (url, position) VALUES ($1, $2) ON CONFLICT (url) DO UPDATE SET position = EXCLUDED.position`,
      [url, position.toString()]);
  }
}
