import { Injectable } from '@nestjs/common';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { SyntheticEraScoringEngine, type HotkeyScores, type SyntheticEraWindow } from '../engine';
import { MainHotkeyResolver } from './main-hotkey.resolver';
import { ScoringInputsRepository } from './scoring-inputs.repository';

/** What a weight-setting round scores. */
export interface ScoringRequest {
  /** The scored netuid-aligned cycle (the selected batch's). */
  cycle: { id: string; start: number; stop: number };
  /** 722-grid keys of the main-hotkey cache at the head (reference `_get_cycles_for_scoring`). */
  currentCycleStart: number;
  previousCycleStart: number;
}

/**
 * Scores one cycle: loads the window, resolves main hotkeys, runs the pure engine. The weight
 * setter depends only on this abstraction, so the later allowance engine slots in beside it.
 */
export abstract class CycleScorer {
  abstract readonly engineName: string;
  abstract scoreCycle(request: ScoringRequest): Promise<HotkeyScores>;
}

@Injectable()
export class SyntheticEraCycleScorer extends CycleScorer {
  readonly engineName = 'synthetic-era';
  private readonly engine = new SyntheticEraScoringEngine();

  constructor(
    private readonly repo: ScoringInputsRepository,
    private readonly mainHotkeys: MainHotkeyResolver,
    private readonly dynamicConfig: DynamicConfigService,
  ) {
    super();
  }

  /** The window of a cycle: synthetic jobs of its batches and organic jobs with a block inside it. */
  async loadWindow(cycle: ScoringRequest['cycle']): Promise<SyntheticEraWindow> {
    const [miners, organicJobs, syntheticJobs, organicJobScore, executorClassWeights] = await Promise.all([
      this.repo.miners(),
      this.repo.organicJobs(cycle.start, cycle.stop),
      this.repo.syntheticJobs(cycle.id),
      this.dynamicConfig.get('DYNAMIC_ORGANIC_JOB_SCORE'),
      this.dynamicConfig.get('DYNAMIC_EXECUTOR_CLASS_WEIGHTS'),
    ]);
    return { miners, organicJobs, syntheticJobs, organicJobScore, executorClassWeights };
  }

  async scoreCycle(request: ScoringRequest): Promise<HotkeyScores> {
    const window = await this.loadWindow(request.cycle);
    const coldkeys = this.engine.mainHotkeyColdkeys(window);
    const mainHotkeys = await this.mainHotkeys.resolve(coldkeys, request.currentCycleStart, request.previousCycleStart);
    return this.engine.score(window, mainHotkeys);
  }
}
