import type { ExecutorClass } from '../../protocol';

/** How a simulated executor misbehaves (or not). Configured per miner, overridable per executor. */
export type ExecutorBehaviour =
  /** Runs the job with the registered runner and answers truthfully. */
  | { kind: 'honest' }
  /** Honest, but waits before each message (ms of the miner's clock). */
  | { kind: 'slow'; delaysMs: StageDelays }
  /** Runs the job, then returns a corrupted answer (stdout and output files changed). */
  | { kind: 'wrong-answer' }
  /**
   * Declines every initial request as busy. excuse 'valid': attaches organic JobStarted receipts signed by
   * `excuseSigners` (other validators' keys) covering the request time; 'forged': the same receipts with a
   * validator signature that does not verify; 'none': no receipts.
   */
  | { kind: 'decline'; excuse: 'valid' | 'forged' | 'none'; excuseCount?: number }
  /** Closes the socket (without a close frame) once the job reaches `after`. */
  | { kind: 'disconnect'; after: 'accept' | 'executor-ready' | 'job-request' }
  /** Sends `count` malformed frames instead of answering, from `after` on. */
  | { kind: 'garbage'; after: 'initial-request' | 'job-request'; count?: number }
  /** Never answers from `after` on (the validator must time out). */
  | { kind: 'silent'; after: 'initial-request' | 'accept' | 'job-request' }
  /**
   * Streaming jobs only (honest otherwise). 'wrong-hash': /execute-job returns a hash that is not the
   * uploaded file's; 'not-ready': V0StreamingJobNotReadyRequest instead of starting the endpoint;
   * 'never-ready': no streaming message at all; 'bad-signature': the ready message's miner_signature
   * is not the miner's; 'wrong-certificate': announces a certificate other than the one it serves.
   */
  | { kind: 'streaming-lie'; lie: 'wrong-hash' | 'not-ready' | 'never-ready' | 'bad-signature' | 'wrong-certificate' };

export interface StageDelays {
  accept?: number;
  executorReady?: number;
  volumesReady?: number;
  executionDone?: number;
  finished?: number;
}

export interface SimulatedExecutorConfig {
  executorClass: ExecutorClass;
  behaviour?: ExecutorBehaviour;
}

export const HONEST: ExecutorBehaviour = { kind: 'honest' };
