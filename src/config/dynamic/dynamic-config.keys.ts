/**
 * Dynamic configuration keys (configuration.md §5.4): type, default and the values a key accepts.
 * Values: int -> number (bigint for the *_WEI keys), float -> number, bool -> boolean, str -> string.
 *
 * Limits: `min`/`max` inclusive, `above`/`below` exclusive; `format` names the string grammar
 * checked by dynamic-config.parse.ts. Every source (environment, `config set`, the remote source,
 * stored rows) goes through the same check.
 *
 * Not declared (the reference declares them but never reads them, or reads a constant instead):
 * ORGANIC_JOB_CELERY_WAIT_TIMEOUT (no Celery hop here), DYNAMIC_DANCING_BONUS and MAIN_HOTKEY_SHARE
 * (the reference's engine uses the constants 0.1 and 0.8), DYNAMIC_SCORE_ORGANIC_JOBS_LIMIT and
 * DYNAMIC_SYNTHETIC_JOBS_FLOW_VERSION (dead). A remote value for them is reported as "not used here".
 */
export type DynamicValueType = 'int' | 'float' | 'bool' | 'str' | 'wei';
export type DynamicStringFormat = 'class-float-map' | 'class-int-map' | 'class-list' | 'ss58-list' | 'event-limits';

export interface DynamicKeySpec {
  type: DynamicValueType;
  default: number | bigint | boolean | string;
  description: string;
  min?: number;
  max?: number;
  above?: number;
  below?: number;
  format?: DynamicStringFormat;
}

export const DYNAMIC_CONFIG_KEYS = {
  SERVING: { type: 'bool', default: true, description: 'weights and synthetic jobs only run when true' },
  DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI: { type: 'wei', default: 10_000_000_000_000_000n, description: 'routing collateral threshold; <= 0 disables' },
  DYNAMIC_COLLATERAL_SLASH_AMOUNT_WEI: { type: 'wei', default: 5_000_000_000_000_000n, min: 0, description: 'amount per slash' },
  DYNAMIC_JOB_FAILURE_BLACKLIST_TIME_SECONDS: { type: 'int', default: 14400, min: 0, description: 'blacklist after a failed organic job' },
  DYNAMIC_JOB_CHEATED_BLACKLIST_TIME_SECONDS: { type: 'int', default: 14400, min: 0, description: 'blacklist after a cheat report' },
  DYNAMIC_EXECUTOR_RESERVATION_TIME_LIMIT: { type: 'int', default: 7, min: 0, description: 's for a miner to accept/decline an organic job' },
  DYNAMIC_EXECUTOR_STARTUP_TIME_LIMIT: { type: 'int', default: 5, min: 0, description: 's for the executor start-up stage' },
  DYNAMIC_ORGANIC_JOB_ALLOWED_LEEWAY_TIME: { type: 'int', default: 5, min: 0, description: 'extra s for download/execute/upload' },
  DYNAMIC_DISABLE_TRUSTED_ORGANIC_JOB_EVENTS: { type: 'bool', default: true, description: 'no system events for trusted-miner jobs' },
  DYNAMIC_MINIMUM_VALIDATOR_STAKE_FOR_EXCUSE: { type: 'float', default: 30000.0, min: 0, description: 'min stake (alpha) of a validator whose job excuses a decline' },
  DYNAMIC_ROUTING_RELIABILITY_WINDOW_HOURS: { type: 'float', default: 24.0, above: 0, description: 'incident look-back window' },
  DYNAMIC_ROUTING_RELIABILITY_SOFT_CUTOFF: { type: 'float', default: -50.0, below: 0, description: 'weighted-shuffle cutoff (< 0)' },
  DYNAMIC_ROUTING_RELIABILITY_SEPARATION: { type: 'float', default: 5.0, min: 0, description: 'weighted-shuffle steepness' },
  DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS: { type: 'str', default: 'always_on.llm.a6000=2', format: 'class-int-map', description: 'per-class cap on reported executors' },
  DYNAMIC_EXECUTOR_CLASS_WEIGHTS: { type: 'str', default: 'spin_up-4min.gpu-24gb=99,always_on.llm.a6000=1,always_on.test=0', format: 'class-float-map', description: 'class weights for score normalisation' },
  DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED: { type: 'bool', default: true, description: 'gate weight setting on the commit window' },
  DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL: { type: 'int', default: 722, min: 1, description: 'interval length in blocks' },
  DYNAMIC_COMMIT_REVEAL_COMMIT_START_OFFSET: { type: 'int', default: 361, min: 0, description: 'commit window start within the interval' },
  DYNAMIC_COMMIT_REVEAL_COMMIT_END_BUFFER: { type: 'int', default: 15, min: 0, description: 'no commit in the last N blocks of the window' },
  DYNAMIC_COMMIT_REVEAL_REVEAL_END_BUFFER: { type: 'int', default: 15, min: 0, description: 'shortens the reveal window' },
  DYNAMIC_BURN_TARGET_SS58ADDRESSES: { type: 'str', default: '', format: 'ss58-list', description: 'comma-separated burn hotkeys' },
  DYNAMIC_BURN_RATE: { type: 'float', default: 0.0, min: 0, max: 1, description: 'fraction of incentives to burn targets' },
  DYNAMIC_BURN_PARTITION: { type: 'float', default: 0.0, min: 0, max: 1, description: 'share of the burn for the primary burn hotkey' },
  DYNAMIC_RECEIPT_TRANSFER_ENABLED: { type: 'bool', default: false, description: 'enables the receipts-transfer daemon' },
  DYNAMIC_RECEIPT_TRANSFER_INTERVAL: { type: 'int', default: 2, min: 1, description: 's between receipt polls' },
  DYNAMIC_WEIGHTS_VERSION: { type: 'int', default: 1, min: 0, description: 'weights/hashcat version' },
  DYNAMIC_NON_PEAK_CYCLE_EXECUTOR_MIN_RATIO: { type: 'float', default: 0.1, min: 0, max: 1, description: 'synthetic: min ratio of executors in non-peak cycles' },
  DYNAMIC_DEFAULT_EXECUTOR_LIMITS_FOR_MISSED_PEAK: { type: 'str', default: 'always_on.llm.a6000=2', format: 'class-int-map', description: 'synthetic: limits when the peak batch was missed' },
  DYNAMIC_SYNTHETIC_JOBS_PLANNER_WAIT_IN_ADVANCE_BLOCKS: { type: 'int', default: 3, min: 0, description: 'synthetic planner lead' },
  DYNAMIC_SYNTHETIC_JOBS_PLANNER_POLL_INTERVAL: { type: 'float', default: 4.0, above: 0, description: 'synthetic planner poll, s' },
  DYNAMIC_SYNTHETIC_JOBS_PLANNER_MAX_OVERSLEEP_BLOCKS: { type: 'int', default: 3, min: 0, description: 'synthetic planner max oversleep' },
  DYNAMIC_MAX_PROMPT_SERIES: { type: 'int', default: 3500, min: 0, description: 'LLM pipeline: max prompt series' },
  DYNAMIC_TARGET_NUMBER_OF_PROMPT_SAMPLES_READY: { type: 'int', default: 1536, min: 0, description: 'LLM pipeline: samples kept ready' },
  DYNAMIC_NUMBER_OF_PROMPTS_PER_WORKLOAD: { type: 'int', default: 240, min: 1, description: 'LLM pipeline: prompts per workload' },
  DYNAMIC_PROMPTS_SERIES_IN_A_SINGLE_GENERATION: { type: 'int', default: 25, min: 1, description: 'LLM pipeline: series per generation job' },
  DYNAMIC_NUMBER_OF_PROMPTS_IN_SERIES: { type: 'int', default: 240, min: 1, description: 'LLM pipeline: prompts per series' },
  DYNAMIC_NUMBER_OF_PROMPTS_TO_SAMPLE_FROM_SERIES: { type: 'int', default: 1, min: 1, description: 'LLM pipeline: prompts sampled per series' },
  DYNAMIC_EXCUSED_SYNTHETIC_JOB_SCORE: { type: 'float', default: 1.0, description: 'score of an excused synthetic job' },
  DYNAMIC_SYSTEM_EVENT_LIMITS: { type: 'str', default: 'MINER_SYNTHETIC_JOB_FAILURE,LLM_PROMPT_ANSWERS_MISSING,10', format: 'event-limits', description: 'per (type,subtype) cap on events per synthetic run' },
  DYNAMIC_LLM_ANSWER_S3_DOWNLOAD_TIMEOUT_SECONDS: { type: 'float', default: 5.0, above: 0, description: 'LLM answers download timeout' },
  DYNAMIC_SYNTHETIC_STREAMING_JOB_EXECUTOR_CLASSES: { type: 'str', default: '', format: 'class-list', description: 'streaming synthetic classes' },
  DYNAMIC_SYNTHETIC_STREAMING_JOB_READY_TIMEOUT: { type: 'int', default: 300, min: 0, description: 'streaming ready timeout, s' },
  DYNAMIC_ORGANIC_JOB_SCORE: { type: 'float', default: 1.0, description: 'score of an organic job' },
} as const satisfies Record<string, DynamicKeySpec>;

export type DynamicConfigKey = keyof typeof DYNAMIC_CONFIG_KEYS;
type TypeOf<T extends string> = T extends 'int' | 'float' ? number : T extends 'wei' ? bigint : T extends 'bool' ? boolean : string;
export type DynamicConfigValue<K extends DynamicConfigKey> = TypeOf<(typeof DYNAMIC_CONFIG_KEYS)[K]['type']>;

/** Keys the remote source may set: the reference only ever overwrites `DYNAMIC_*` keys. */
export function isRemoteSettable(key: string): boolean {
  return key.startsWith('DYNAMIC_');
}

/** Keys the reference declares and the subnet owner may publish, but this validator does not use. */
export const UNUSED_REFERENCE_KEYS: ReadonlySet<string> = new Set([
  'ORGANIC_JOB_CELERY_WAIT_TIMEOUT',
  'DYNAMIC_DANCING_BONUS',
  'MAIN_HOTKEY_SHARE',
  'DYNAMIC_SCORE_ORGANIC_JOBS_LIMIT',
  'DYNAMIC_SYNTHETIC_JOBS_FLOW_VERSION',
  'DYNAMIC_DUMMY',
  'DYNAMIC_MANIFEST_SCORE_MULTIPLIER',
  'DYNAMIC_MANIFEST_DANCE_RATIO_THRESHOLD',
  'DYNAMIC_NON_PEAK_CYCLE_PENALTY_MULTIPLIER',
  'DYNAMIC_BLOCK_FINALIZATION_NUMBER',
  'DYNAMIC_MAX_WEIGHT',
  'DYNAMIC_WEIGHT_REVEALING_TTL',
  'DYNAMIC_WEIGHT_REVEALING_HARD_TTL',
  'DYNAMIC_WEIGHT_REVEALING_ATTEMPTS',
  'DYNAMIC_WEIGHT_REVEALING_FAILURE_BACKOFF',
  'DYNAMIC_BLOCK_ALLOWANCE_MULTIPLIER',
  'DYNAMIC_SPENDING_VALIDATION_BLOCK_LEEWAY_LOWER',
  'DYNAMIC_SPENDING_VALIDATION_BLOCK_LEEWAY_UPPER',
]);
