/** Executor classes (miner-protocol.md §8): names are [WIRE], specs are the reference's. */

export const EXECUTOR_CLASSES = ['spin_up-4min.gpu-24gb', 'always_on.gpu-24gb', 'always_on.llm.a6000', 'always_on.test'] as const;
export type ExecutorClass = (typeof EXECUTOR_CLASSES)[number];

export interface ExecutorClassSpec {
  description: string;
  hasGpu: boolean;
  gpuVramGb: number | null;
  /** Seconds the miner needs to start an executor of this class. */
  spinUpTimeSeconds: number;
}

export const EXECUTOR_CLASS_SPECS: Readonly<Record<ExecutorClass, ExecutorClassSpec>> = {
  'spin_up-4min.gpu-24gb': { description: 'cost effective (started on demand), generic GPU machine', hasGpu: true, gpuVramGb: 24, spinUpTimeSeconds: 240 },
  'always_on.gpu-24gb': { description: 'always on, generic GPU machine', hasGpu: true, gpuVramGb: 24, spinUpTimeSeconds: 3 },
  'always_on.llm.a6000': { description: 'always on, NVIDIA RTX A6000 GPU machine for LLM prompts solving', hasGpu: true, gpuVramGb: 48, spinUpTimeSeconds: 30 },
  'always_on.test': { description: 'always on, generic machine for subnet testing', hasGpu: false, gpuVramGb: null, spinUpTimeSeconds: 3 },
};

export const DEFAULT_EXECUTOR_CLASS: ExecutorClass = 'spin_up-4min.gpu-24gb';
export const DEFAULT_LLM_EXECUTOR_CLASS: ExecutorClass = 'always_on.llm.a6000';
/** Seconds; spin-up of the default class. */
export const DEFAULT_EXECUTOR_TIMEOUT = 240;
/** Seconds; the miner kills any executor older than this. */
export const MAX_EXECUTOR_TIMEOUT = 1200;

export function isExecutorClass(value: unknown): value is ExecutorClass {
  return typeof value === 'string' && (EXECUTOR_CLASSES as readonly string[]).includes(value);
}

export function spinUpTimeSeconds(executorClass: ExecutorClass): number {
  return EXECUTOR_CLASS_SPECS[executorClass].spinUpTimeSeconds;
}
