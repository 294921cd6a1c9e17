import type { HashAlgorithm } from './hashcat-crypto';

/** HASHJOB_PARAMS (synthetic-jobs.md §5.2) [INTEROP: what real executors are asked to crack]. */
export interface HashJobParams {
  algorithm: HashAlgorithm;
  timeoutSeconds: number;
  numLetters: number;
  numDigits: number;
  numHashes: number;
}

export const HASHCAT_ALGORITHMS: readonly HashAlgorithm[] = ['SHA256', 'SHA384', 'SHA512'];

export const V0_PARAMS: Readonly<Record<HashAlgorithm, HashJobParams>> = {
  SHA256: { algorithm: 'SHA256', timeoutSeconds: 90, numLetters: 6, numDigits: 0, numHashes: 1 },
  SHA384: { algorithm: 'SHA384', timeoutSeconds: 45, numLetters: 5, numDigits: 0, numHashes: 1 },
  SHA512: { algorithm: 'SHA512', timeoutSeconds: 45, numLetters: 5, numDigits: 0, numHashes: 1 },
};

export const CHAINED_PARAMS: readonly HashJobParams[] = [
  { algorithm: 'SHA256', timeoutSeconds: 53, numLetters: 6, numDigits: 0, numHashes: 100 },
  { algorithm: 'SHA384', timeoutSeconds: 53, numLetters: 5, numDigits: 1, numHashes: 100 },
  { algorithm: 'SHA512', timeoutSeconds: 53, numLetters: 5, numDigits: 1, numHashes: 100 },
];

/**
 * Devnet difficulty: same formats, images and scripts, but passwords a CPU cracks in milliseconds
 * (the simulated executor of src/devnet/executors) and job timeouts of at most
 * DEVNET_JOB_TIMEOUT_SECONDS, so a silent miner holds a devnet batch seconds, not minutes. Never used
 * against real miners unless the operator sets DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY.
 */
export const DEVNET_JOB_TIMEOUT_SECONDS = 10;

export type HashcatDifficulty = 'production' | 'devnet' | 'minimal';

const SHRINK: Readonly<Record<Exclude<HashcatDifficulty, 'production'>, (p: HashJobParams) => HashJobParams>> = {
  devnet: (p) => ({
    ...p,
    numLetters: Math.min(p.numLetters, p.numDigits > 0 ? 1 : 2),
    numDigits: Math.min(p.numDigits, 1),
    numHashes: Math.min(p.numHashes, 2),
    timeoutSeconds: Math.min(p.timeoutSeconds, DEVNET_JOB_TIMEOUT_SECONDS),
  }),
  minimal: (p) => ({ ...p, numLetters: 1, numDigits: 0, numHashes: 1, timeoutSeconds: Math.min(p.timeoutSeconds, DEVNET_JOB_TIMEOUT_SECONDS) }),
};

export function withDifficulty(p: HashJobParams, difficulty: HashcatDifficulty): HashJobParams {
  return difficulty === 'production' ? p : SHRINK[difficulty](p);
}

export function parseHashcatDifficulty(raw: string | undefined): HashcatDifficulty {
  if (raw === undefined || raw === '' || raw === 'production') return 'production';
  if (raw === 'devnet' || raw === 'minimal') return raw;
  throw new Error(`DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY must be empty, production, devnet or minimal, got ${raw}`);
}

/** `"?1" * L + "?d" * D`; custom charset 1 is `?l?d?u`. */
export function mask(p: Pick<HashJobParams, 'numLetters' | 'numDigits'>): string {
  return '?1'.repeat(p.numLetters) + '?d'.repeat(p.numDigits);
}
