import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The `validator_whitelist` table (data-model.md §2.3). */
@Injectable()
export class ValidatorWhitelistRepository {
  constructor(private readonly dataSource: DataSource) {}

  async hotkeys(): Promise<string[]> {
    const rows: { hotkey: string }[] = await this.dataSource.query(`SELECT hotkey FROM validator_whitelist`);
    return rows.map((r) => r.hotkey);
  }

  async add(hotkey: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO validator_whitelist (hotkey) VALUES ($1) ON CONFLICT (hotkey) DO NOTHING`, [hotkey]);
  }

  async remove(hotkey: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM validator_whitelist WHERE hotkey = $1`, [hotkey]);
  }

  async sortedHotkeys(): Promise<string[]> {
    const rows: { hotkey: string }[] = await this.dataSource.query(`SELECT hotkey FROM validator_whitelist ORDER BY hotkey`);
    return rows.map((r) => r.hotkey);
  }
}
