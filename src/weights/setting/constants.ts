/** Constants of weight setting at the synthetic-era reference (scoring-synthetic-era.md §2). */

/** `SCORING_ALGO_VERSION`: the version key of every weight extrinsic [WIRE]. */
export const SCORING_ALGO_VERSION = 2n;

/** `WEIGHT_SETTING_ATTEMPTS` / `_FAILURE_BACKOFF` / `_TTL`. */
export const WEIGHT_SETTING_ATTEMPTS = 100;
export const WEIGHT_SETTING_FAILURE_BACKOFF_MS = 5_000;
export const WEIGHT_SETTING_TTL_MS = 60_000;

/** `DYNAMIC_WEIGHT_REVEALING_ATTEMPTS` / `_FAILURE_BACKOFF` / `_TTL` defaults (not in the dynamic store). */
export const WEIGHT_REVEALING_ATTEMPTS = 50;
export const WEIGHT_REVEALING_FAILURE_BACKOFF_MS = 5_000;
export const WEIGHT_REVEALING_TTL_MS = 120_000;

/** `DYNAMIC_MAX_WEIGHT` default: the u16 scale of a hash commit. */
export const MAX_WEIGHT = 65535;

/** Lock names for ExclusiveRunner. */
export const SET_SCORES_LOCK = 'weights:set-scores';
export const REVEAL_LOCK = 'weights:reveal';
