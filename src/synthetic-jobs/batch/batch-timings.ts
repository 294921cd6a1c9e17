import { EXECUTOR_CLASS_SPECS, type ExecutorClass } from '../../protocol/executor-class';

/** Stage deadlines of a batch run (synthetic-jobs.md §4); every one is measured on the injected Clock. */
export interface BatchTimings {
  /** Connect + auth + manifest, per miner (reference 35 s). */
  manifestMs: number;
  /** Connect attempts inside the manifest window (reference 4). */
  connectRetries: number;
  acceptedReceiptSendMs: number;
  /** Extra wait for a job response beyond the job's timeout (reference 120 s; judged "took too long"). */
  jobResponseExtraMs: number;
  finishedReceiptSendMs: number;
  closeMs: number;
  minSpinUpSeconds: number;
  /** Spin-up seconds per class (reference: the executor-class table). */
  spinUpSeconds: Readonly<Record<ExecutorClass, number>>;
}

export const REFERENCE_BATCH_TIMINGS: BatchTimings = {
  manifestMs: 35_000,
  connectRetries: 4,
  acceptedReceiptSendMs: 5_000,
  jobResponseExtraMs: 120_000,
  finishedReceiptSendMs: 5_000,
  closeMs: 1_000,
  minSpinUpSeconds: 2,
  spinUpSeconds: {
    'spin_up-4min.gpu-24gb': EXECUTOR_CLASS_SPECS['spin_up-4min.gpu-24gb'].spinUpTimeSeconds,
    'always_on.gpu-24gb': EXECUTOR_CLASS_SPECS['always_on.gpu-24gb'].spinUpTimeSeconds,
    'always_on.llm.a6000': EXECUTOR_CLASS_SPECS['always_on.llm.a6000'].spinUpTimeSeconds,
    'always_on.test': EXECUTOR_CLASS_SPECS['always_on.test'].spinUpTimeSeconds,
  },
};

/** The reference timings with `overrides` on top (spin-up seconds merged per class). */
export function batchTimingsWith(overrides: Partial<BatchTimings> | undefined): BatchTimings {
  return { ...REFERENCE_BATCH_TIMINGS, ...overrides, spinUpSeconds: { ...REFERENCE_BATCH_TIMINGS.spinUpSeconds, ...overrides?.spinUpSeconds } };
}
