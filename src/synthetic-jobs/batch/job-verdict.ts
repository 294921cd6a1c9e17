import type { SyntheticJobStatus } from '../persistence/synthetic-job.entity';
import type { CorrectnessVerdict } from '../generators/synthetic-job-generator';

/** Per-job verdict (synthetic-jobs.md §4.11, scoring-synthetic-era.md §5.4) [CONSENSUS]. Pure. */

export type FailureKind =
  | 'NO_EXECUTOR_RESPONSE'
  | 'DECLINED'
  | 'BADLY_EXCUSED'
  | 'TIMED_OUT'
  | 'EXECUTOR_FAILED'
  | 'JOB_FAILED'
  | 'OUT_OF_ORDER'
  | 'TOOK_TOO_LONG'
  | 'WRONG_ANSWER'
  | 'CONNECTION_LOST'
  | 'STREAMING_NOT_READY'
  | 'NOT_SCORED';

export interface JobObservation {
  /** accept response */
  accept?: { kind: 'accept'; atMs: number } | { kind: 'decline'; reason: string; atMs: number };
  executor?: { kind: 'ready' | 'failed'; atMs: number };
  /** ms (clock) just before V0JobRequest was sent. */
  jobSentAtMs?: number;
  response?: { kind: 'finished'; atMs: number; stdout: string; rawMessage: string } | { kind: 'failed'; atMs: number; exitStatus: number | null; rawMessage: string };
  /** Set when the miner's connection dropped for good (for the comment only). */
  connectionLost?: boolean;
  /**
   * Streaming jobs (§4.8): the streaming response. 'ready' = V0StreamingJobReadyRequest (triggered),
   * 'not-ready' = V0StreamingJobNotReadyRequest, 'bad-signature' = a ready message whose
   * miner_signature does not verify (not triggered), 'none' = nothing within the ready timeout.
   */
  streaming?: { kind: 'ready' | 'not-ready' | 'bad-signature' | 'none'; atMs?: number };
}

export interface VerdictInput {
  job: JobObservation;
  /** For rule 1: accepted jobs of the same miner and class + valid excuses ≥ expected executors. */
  excuse?: { validExcuses: number; acceptedSameClass: number; expected: number };
  excusedScore: number;
  verifyTime: (seconds: number) => boolean | null;
  verifyCorrectness: () => CorrectnessVerdict;
}

export interface Verdict {
  status: SyntheticJobStatus;
  score: number;
  success: boolean;
  excused: boolean;
  /** true/false when the answer was checked, else null. */
  correct: boolean | null;
  comment: string;
  failureKind: FailureKind | null;
  timeTookSeconds: number | null;
  /** Event subtype this verdict produces (MINER_SYNTHETIC_JOB_FAILURE unless SUCCESS). */
  event: 'SUCCESS' | 'FAILURE' | 'JOB_EXCUSED' | 'JOB_REJECTED' | 'JOB_EXECUTION_TIMEOUT' | 'JOB_NOT_STARTED' | null;
}

export function judgeJob(input: VerdictInput): Verdict {
  const j = input.job;
  const base = { score: 0, success: false, excused: false, correct: null, timeTookSeconds: null } as const;
  const fail = (comment: string, failureKind: FailureKind, event: Verdict['event'], extra: Partial<Verdict> = {}): Verdict => ({
    ...base, status: 'FAILED', comment, failureKind, event, ...extra,
  });

  if (j.accept?.kind === 'decline') {
    if (j.accept.reason === 'busy') {
      const e = input.excuse;
      if (e && e.acceptedSameClass + e.validExcuses >= e.expected) {
        const score = input.excusedScore || 0;
        return { ...base, status: 'EXCUSED', score, excused: true, comment: 'excused (pass)', failureKind: null, event: 'JOB_EXCUSED' };
      }
      return fail('badly excused (fail)', 'BADLY_EXCUSED', 'JOB_REJECTED');
    }
    return fail('declined', 'DECLINED', 'JOB_REJECTED');
  }
  if (!j.response) {
    if (j.executor?.kind === 'failed') return fail('timed out', 'EXECUTOR_FAILED', 'JOB_REJECTED');
    // The reference comments all three "timed out" (no job response) and adds JOB_NOT_STARTED for NotReady.
    if (j.streaming?.kind === 'not-ready') return fail('failed to start streaming', 'STREAMING_NOT_READY', 'JOB_NOT_STARTED');
    if (j.streaming?.kind === 'bad-signature') return fail('failed to start streaming: the ready message has an invalid miner_signature', 'STREAMING_NOT_READY', 'JOB_NOT_STARTED');
    if (j.connectionLost) return fail('timed out (connection lost)', 'CONNECTION_LOST', null);
    if (j.streaming?.kind === 'none') return fail('timed out (the streaming job never became ready)', 'TIMED_OUT', null);
    if (!j.accept) return fail('timed out', 'NO_EXECUTOR_RESPONSE', null);
    return fail('timed out', 'TIMED_OUT', null);
  }
  if (j.response.kind === 'failed') {
    return fail(`failed: returncode=${j.response.exitStatus ?? 'None'}`, 'JOB_FAILED', 'FAILURE');
  }
  if (j.jobSentAtMs === undefined || j.response.atMs - j.jobSentAtMs <= 0) {
    return fail('out of order job response', 'OUT_OF_ORDER', 'JOB_EXECUTION_TIMEOUT');
  }
  const timeTookSeconds = (j.response.atMs - j.jobSentAtMs) / 1000;
  const verdict = input.verifyCorrectness();
  if (input.verifyTime(timeTookSeconds) === false) {
    return fail(`took too long: time_took_sec=${timeTookSeconds.toFixed(2)}`, 'TOOK_TOO_LONG', 'JOB_EXECUTION_TIMEOUT', { correct: verdict.correct, timeTookSeconds });
  }
  if (verdict.correct) {
    // The reference leaves the comment empty on success; say why it passed instead.
    const comment = verdict.comment || `correct answer in ${timeTookSeconds.toFixed(2)} s`;
    return { ...base, status: 'COMPLETED', score: 1, success: true, correct: true, comment, failureKind: null, event: 'SUCCESS', timeTookSeconds };
  }
  return fail(verdict.comment, 'WRONG_ANSWER', 'FAILURE', { correct: false, timeTookSeconds });
}
