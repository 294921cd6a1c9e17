import { Injectable } from '@nestjs/common';
import { ValidatorWhitelistRepository } from '../persistence/validator-whitelist.repository';

/** The operator-managed list of SDK hotkeys allowed to sign jobs for this validator (data-model.md §2.3). */
@Injectable()
export class WhitelistService {
  private cache: { at: number; set: Set<string> } | undefined;

  constructor(private readonly rows: ValidatorWhitelistRepository) {}

  async contains(hotkey: string): Promise<boolean> {
    // A short cache: job requests arrive in bursts, the list changes rarely.
    if (!this.cache || Date.now() - this.cache.at > 2000) {
      this.cache = { at: Date.now(), set: new Set(await this.rows.hotkeys()) };
    }
    return this.cache.set.has(hotkey);
  }

  async add(hotkey: string): Promise<void> {
    await this.rows.add(hotkey);
    this.cache = undefined;
  }

  async remove(hotkey: string): Promise<void> {
    await this.rows.remove(hotkey);
    this.cache = undefined;
  }

  async list(): Promise<string[]> {
    return this.rows.sortedHotkeys();
  }
}
