/**
 * Stage timeouts of the miner driver (organic-jobs.md §6.3), pure. Seconds in, seconds out.
 * R reservation limit, E executor startup limit, L leeway, S spin-up time of the class.
 */
export interface StageLimits {
  download: number;
  execution: number;
  upload: number;
  streaming: number;
}

export interface DriverTimingInput {
  reservationTimeLimit: number; // R
  executorStartupTimeLimit: number; // E
  allowedLeeway: number; // L
  spinUpTime: number; // S
  /** null: single-timeout mode (admin jobs), using `totalTimeout`. */
  limits: StageLimits | null;
  totalTimeout: number;
  streaming: boolean;
}

export interface DriverTiming {
  acceptWait: number;
  readinessWait: number;
  acceptedReceiptTtl: number;
  /** Offsets from the executor-ready moment (the start of deadline D). */
  volumesDeadline: number;
  streamingDeadline: number | null;
  executionDeadline: number;
  finishedDeadline: number;
}

export function driverTiming(t: DriverTimingInput): DriverTiming {
  const readiness = t.spinUpTime + t.executorStartupTimeLimit;
  if (t.limits === null) {
    const d = t.totalTimeout;
    return {
      acceptWait: t.reservationTimeLimit,
      readinessWait: readiness,
      acceptedReceiptTtl: readiness + t.totalTimeout,
      volumesDeadline: d,
      streamingDeadline: t.streaming ? d : null,
      executionDeadline: d,
      finishedDeadline: d,
    };
  }
  const l = t.limits;
  const total = t.allowedLeeway + l.download + l.execution + l.upload + l.streaming;
  const volumes = t.allowedLeeway + l.download;
  const streaming = t.streaming ? volumes + l.streaming : null;
  const execution = (streaming ?? volumes) + l.execution;
  return {
    acceptWait: t.reservationTimeLimit,
    readinessWait: readiness,
    acceptedReceiptTtl: readiness + total,
    volumesDeadline: volumes,
    streamingDeadline: streaming,
    executionDeadline: execution,
    finishedDeadline: execution + l.upload,
  };
}

/** Python's "%.6f" of an integer-valued job value (score_str of the finished receipt). */
export function scoreStr(value: number): string {
  return value.toFixed(6);
}
