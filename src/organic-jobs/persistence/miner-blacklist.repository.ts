import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BlacklistReason } from './miner-blacklist.entity';

/** The `miner_blacklist` table (rows refer to `miner` rows by id; hotkeys are joined in). */
@Injectable()
export class MinerBlacklistRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A row for the miner of `minerHotkey` (none when no such miner row exists). */
  async insert(row: { minerHotkey: string; start: Date; end: Date; reason: BlacklistReason; details: string }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO miner_blacklist (miner_id, blacklisted_at, expires_at, reason, reason_details)
       SELECT id, $2, $3, $4, $5 FROM miner WHERE hotkey = $1`,
      [row.minerHotkey, row.start.toISOString(), row.end.toISOString(), row.reason, row.details]);
  }

  /** True if the miner has any blacklist row, even expired. */
  async hasAnyRow(minerHotkey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM miner_blacklist b JOIN miner m ON m.id = b.miner_id WHERE m.hotkey = $1 LIMIT 1`, [minerHotkey]);
    return rows.length > 0;
  }

  /** Hotkeys with a blacklist row that has not expired at `now` (no expiry: forever). */
  async activeHotkeys(now: Date): Promise<Set<string>> {
    const rows: { hotkey: string }[] = await this.dataSource.query(
      `SELECT DISTINCT m.hotkey FROM miner_blacklist b JOIN miner m ON m.id = b.miner_id WHERE b.expires_at IS NULL OR b.expires_at > $1`,
      [now.toISOString()]);
    return new Set(rows.map((r) => r.hotkey));
  }
}
