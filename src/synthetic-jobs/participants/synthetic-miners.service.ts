import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { Miner } from '../../miners/registry/miner.entity';
import { BatchMinersRepository } from '../persistence/batch-miners.repository';
import { BAC_VALIDATOR_SS58_ADDRESS, stableSortDescending } from '../calendar/batch-slot';
import type { BatchMiner } from '../batch/batch-engine';
import type { ActiveValidator } from '../../protocol/excuses';

/** Reference constants of the batch's active-validator list (scoring-synthetic-era.md §5.1). */
export const MIN_VALIDATOR_STAKE = 1000n;
export const VALIDATORS_LIMIT = 24;

/** Who a batch talks to: serving miners (or the DEBUG_MINER_* overrides) and the active validators. */
@Injectable()
export class SyntheticMinersService {
  constructor(private readonly minerRows: BatchMinersRepository, private readonly config: AppConfig) {}

  get debugOverride(): boolean {
    return this.config.jobs.DEBUG_MINER_KEY !== '';
  }

  /** Serving miners (in the metagraph, with an address and port), or the debug miners. */
  async servingMiners(): Promise<BatchMiner[]> {
    if (this.debugOverride) return this.debugMiners();
    const rows = await this.minerRows.serving();
    return rows.map(toBatchMiner);
  }

  async minerByHotkey(hotkey: string): Promise<BatchMiner | null> {
    const row = await this.minerRows.byHotkey(hotkey);
    return row ? toBatchMiner(row) : null;
  }

  /**
   * Top 24 neurons with stake ≥ 1000, BAC first, then by stake. Stakes are raw rao as stored
   * (the reference compares rao with the alpha-denominated thresholds; scoring-synthetic-era.md §5.1).
   * Empty with the debug override (reference).
   */
  async activeValidators(): Promise<ActiveValidator[]> {
    if (this.debugOverride) return [];
    const rows = await this.minerRows.inMetagraph();
    const eligible = rows.filter((r) => r.stake >= MIN_VALIDATOR_STAKE);
    const sorted = stableSortDescending(eligible, (r) => [r.hotkey === BAC_VALIDATOR_SS58_ADDRESS ? 1 : 0, Number(r.stake)]);
    return sorted.slice(0, VALIDATORS_LIMIT).map((r) => ({ hotkey: r.hotkey, stake: r.stake }));
  }

  /** DEBUG_MINER_KEY / _ADDRESS / _PORT / _COUNT (synthetic-jobs.md §4.1); rows created if missing. */
  private async debugMiners(): Promise<BatchMiner[]> {
    const j = this.config.jobs;
    const out: BatchMiner[] = [];
    for (let k = 0; k < j.DEBUG_MINER_COUNT; k++) {
      const hotkey = k === 0 ? j.DEBUG_MINER_KEY : `5u${String(k).padStart(3, '0')}u${j.DEBUG_MINER_KEY.slice(6)}`;
      const row = await this.minerRows.ensure({ hotkey, address: j.DEBUG_MINER_ADDRESS, port: j.DEBUG_MINER_PORT + k, ipVersion: 4 });
      out.push({ id: row.id, hotkey, address: j.DEBUG_MINER_ADDRESS, port: j.DEBUG_MINER_PORT + k, ipVersion: 4 });
    }
    return out;
  }
}

function toBatchMiner(r: Miner): BatchMiner {
  return { id: r.id, hotkey: r.hotkey, address: r.address, port: r.port, ipVersion: r.ipVersion };
}
