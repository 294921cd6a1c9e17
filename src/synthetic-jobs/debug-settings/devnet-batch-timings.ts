import type { BatchTimings } from '../batch/batch-timings';

/**
 * Stage timings for a devnet (DEBUG_SYNTHETIC_TIMINGS=devnet): simulated executors are ready at once
 * and answer in milliseconds, so a silent or disconnected miner should cost seconds, not the
 * reference's minutes. Never for real miners: their GPUs need the reference's spin-up times.
 */
export const DEVNET_BATCH_TIMINGS: Partial<BatchTimings> = {
  manifestMs: 10_000,
  connectRetries: 2,
  jobResponseExtraMs: 5_000,
  minSpinUpSeconds: 3,
  spinUpSeconds: {
    'spin_up-4min.gpu-24gb': 5,
    'always_on.gpu-24gb': 3,
    'always_on.llm.a6000': 3,
    'always_on.test': 3,
  },
};

export function timingsFromEnv(raw: string | undefined): Partial<BatchTimings> | undefined {
  if (raw === undefined || raw === '' || raw === 'reference') return undefined;
  if (raw === 'devnet') return DEVNET_BATCH_TIMINGS;
  throw new Error(`DEBUG_SYNTHETIC_TIMINGS must be empty, reference or devnet, got ${raw}`);
}
