import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The operator-managed list of SDK hotkeys allowed to sign jobs for this validator (data-model.md §2.3). */
@Injectable()
export class WhitelistService {
  private cache: { at: number; set: Set<string> } | undefined;

  constructor(private readonly dataSource: DataSource) {}

  async contains(hotkey: string): Promise<boolean> {
    // A short cache: job requests arrive in bursts, the list changes rarely.
    if (!this.cache || Date.now() - this.cache.at > 2000) {
      const rows: { hotkey: string }[] = await this.dataSource.query(`SELECT hotkey FROM validator_whitelist`);
      this.cache = { at: Date.now(), set: new Set(rows.map((r) => r.hotkey)) };
    }
    return this.cache.set.has(hotkey);
  }

  async add(hotkey: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO validator_whitelist (hotkey) VALUES ($1) ON CONFLICT (hotkey) DO NOTHING`, [hotkey]);
    this.cache = undefined;
  }

  async remove(hotkey: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM validator_whitelist WHERE hotkey = $1`, [hotkey]);
    this.cache = undefined;
  }

  async list(): Promise<string[]> {
    const rows: { hotkey: string }[] = await this.dataSource.query(`SELECT hotkey FROM validator_whitelist ORDER BY hotkey`);
    return rows.map((r) => r.hotkey);
  }
}
