import { Injectable, Logger } from '@nestjs/common';
import { pickMainHotkey, type MainHotkeys } from '../engine';
import { MainHotkeyQuerier } from './main-hotkey-querier';
import { ScoringInputsRepository } from './scoring-inputs.repository';

/**
 * Current and previous main hotkeys for the coldkeys the engine asks about
 * (chain-scoring-weights.md §4.3 steps 3-4): stored rows first; the rest are asked of every miner
 * of the coldkey and the first non-empty answer is stored. Previous rows are never queried.
 */
@Injectable()
export class MainHotkeyResolver {
  private readonly logger = new Logger('MainHotkeys');

  constructor(
    private readonly repo: ScoringInputsRepository,
    private readonly querier: MainHotkeyQuerier,
  ) {}

  async resolve(coldkeys: readonly string[], currentCycleStart: number, previousCycleStart: number): Promise<MainHotkeys> {
    const current = await this.repo.mainHotkeys(coldkeys, currentCycleStart);
    const previous = await this.repo.mainHotkeys(coldkeys, previousCycleStart);
    const toQuery = coldkeys.filter((ck) => !current.has(ck));
    if (toQuery.length > 0) {
      const miners = await this.repo.minersOfColdkeys(toQuery);
      const answers = await this.querier.query(miners);
      const scoring = miners.map((m) => ({ hotkey: m.hotkey, coldkey: m.coldkey }));
      for (const coldkey of toQuery) {
        const main = pickMainHotkey(coldkey, scoring, answers);
        if (main === undefined) {
          this.logger.warn({ coldkey }, 'no miner of this coldkey named a main hotkey');
          continue;
        }
        await this.repo.saveMainHotkey(coldkey, currentCycleStart, main);
        current.set(coldkey, main);
      }
    }
    return { current, previous };
  }
}
