/** Plain inputs and outputs of the scoring engines. No Nest, no database types. */

export type JobStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'EXCUSED';

/** Every known miner (all `miner` rows, deregistered ones included), in database order. */
export interface ScoringMiner {
  hotkey: string;
  /** null or "" maps the hotkey to itself. */
  coldkey: string | null;
}

export interface OrganicJobResult {
  minerHotkey: string;
  executorClass: string;
  status: JobStatus;
  cheated: boolean;
  onTrustedMiner: boolean;
  /** Identical jobs folded into one row (the database adapter groups them); default 1. */
  count?: number;
}

export interface SyntheticJobResult {
  minerHotkey: string;
  executorClass: string;
  status: JobStatus;
  /** The stored per-job score (1.0, 0.0, or the excuse score); for a folded row the sum of its jobs' scores. */
  score: number;
}

/** The jobs of one scoring window, already selected by block / batch cycle. */
export interface SyntheticEraWindow {
  miners: readonly ScoringMiner[];
  organicJobs: readonly OrganicJobResult[];
  syntheticJobs: readonly SyntheticJobResult[];
  /** DYNAMIC_ORGANIC_JOB_SCORE. */
  organicJobScore: number;
  /** DYNAMIC_EXECUTOR_CLASS_WEIGHTS, raw. */
  executorClassWeights: string;
}

/** executor class -> hotkey -> raw score. */
export type ClassScores = Map<string, Map<string, number>>;

/** Main-hotkey answers per coldkey: a row with a null answer is kept as null. */
export interface MainHotkeys {
  /** Keyed by the current 722-grid cycle start. */
  current: ReadonlyMap<string, string | null>;
  /** Keyed by the previous 722-grid cycle start (stored rows only, never queried). */
  previous: ReadonlyMap<string, string | null>;
}

/** hotkey -> final score (sum over classes of normalised, class-weighted scores). */
export type HotkeyScores = Map<string, number>;
