import { mainHotkeyColdkeys, rawClassScores, combineClassScores } from './synthetic-era';
import type { ClassScores, HotkeyScores, MainHotkeys, SyntheticEraWindow } from './types';

/**
 * One scoring engine: the jobs of a window in, hotkey scores out. Pure and synchronous; the
 * caller loads the window and resolves main hotkeys (which needs the network) in between.
 * The later allowance engine implements the same interface over its own window type.
 */
export interface ScoringEngine<Window> {
  readonly name: string;
  /** Coldkeys whose current main hotkey the caller must resolve before `score`. */
  mainHotkeyColdkeys(window: Window): string[];
  score(window: Window, mainHotkeys: MainHotkeys): HotkeyScores;
}

export class SyntheticEraScoringEngine implements ScoringEngine<SyntheticEraWindow> {
  readonly name = 'synthetic-era';
  /** Raw class scores of a window, kept between the two calls so its jobs are summed once. */
  private readonly raw = new WeakMap<SyntheticEraWindow, ClassScores>();

  private classScores(window: SyntheticEraWindow): ClassScores {
    let scores = this.raw.get(window);
    if (!scores) this.raw.set(window, (scores = rawClassScores(window)));
    return scores;
  }

  mainHotkeyColdkeys(window: SyntheticEraWindow): string[] {
    return mainHotkeyColdkeys(window, this.classScores(window));
  }

  score(window: SyntheticEraWindow, mainHotkeys: MainHotkeys): HotkeyScores {
    // A class missing from DYNAMIC_EXECUTOR_CLASS_WEIGHTS weighs 1.0 in this era (0.0 later).
    return combineClassScores(this.classScores(window), window, mainHotkeys, 1.0);
  }
}
