import type { Clock } from '../../config/clock';
import type { V0InitialJobRequest } from '../../protocol';
import type { ExecutorBehaviour, SimulatedExecutorConfig } from './behaviour';

/** One executor of the simulated miner; busy with at most one job. */
export interface SimulatedExecutor {
  config: SimulatedExecutorConfig;
  behaviour: ExecutorBehaviour;
  busyWith: string | null;
}

/**
 * A job through the miner's states: accepted and waiting for its executor, waiting for the V0JobRequest
 * payload (re-announced after a reconnect), running, done (the executor is free again).
 */
export interface SimulatedJob {
  uuid: string;
  /** The URL hotkey of the connection that started it (job events go to that validator's connections). */
  validator: string;
  initial: V0InitialJobRequest;
  executor: SimulatedExecutor;
  state: 'waiting-for-executor' | 'waiting-for-payload' | 'running' | 'done';
  abort: AbortController;
}

export function finishJob(job: SimulatedJob): void {
  job.state = 'done';
  if (job.executor.busyWith === job.uuid) job.executor.busyWith = null;
}

/** Clock-ms deadlines of a job's stages, counted from the job request's arrival. */
export interface StageDeadlines {
  volumes: number;
  execution: number;
  upload: number;
}

/** The executor's cumulative stage deadlines (§9.3): executor_timing, else timeout_seconds for all, else none. */
export function stageDeadlines(initial: V0InitialJobRequest, startMs: number): StageDeadlines | null {
  const t = initial.executor_timing;
  if (t) {
    const volumes = startMs + (t.allowed_leeway + t.download_time_limit) * 1000;
    const execution = volumes + (t.execution_time_limit + (initial.streaming_details ? t.streaming_start_time_limit : 0)) * 1000;
    return { volumes, execution, upload: execution + t.upload_time_limit * 1000 };
  }
  if (initial.timeout_seconds === null || initial.timeout_seconds === undefined) return null;
  const end = startMs + initial.timeout_seconds * 1000;
  return { volumes: end, execution: end, upload: end };
}

/** 'timeout' when `deadline` (clock ms) passes before `work` settles; an abort of `signal` counts as done. */
export async function raceDeadline(clock: Clock, work: Promise<unknown>, deadline: number, signal: AbortSignal): Promise<'done' | 'timeout'> {
  const timer = new AbortController();
  const abortTimer = () => timer.abort();
  signal.addEventListener('abort', abortTimer, { once: true });
  try {
    return await Promise.race([
      work.then(() => 'done' as const, () => 'done' as const),
      clock.sleep(Math.max(0, deadline - clock.now()), timer.signal).then(() => 'timeout' as const, () => 'done' as const),
    ]);
  } finally {
    timer.abort();
    signal.removeEventListener('abort', abortTimer);
  }
}
