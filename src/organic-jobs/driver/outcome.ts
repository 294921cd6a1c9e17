import type { HordeFailureReason, JobStatusUpdate, JsonRecord, Participant } from '../../protocol/facilitator';
import type { SystemEventSubtype } from '../../observability/system-events/system-event.types';
import type { MinerMessageOf } from '../../protocol';

/** How a driven job ended, before it is written anywhere. */
export type DriverOutcome =
  | { kind: 'completed'; finished: MinerMessageOf<'V0JobFinishedRequest'> }
  | { kind: 'declined'; decline: MinerMessageOf<'V0DeclineJobRequest'> }
  | { kind: 'job-failed'; failed: MinerMessageOf<'V0JobFailedRequest'> }
  | { kind: 'horde-failed'; reportedBy: Participant; reason: HordeFailureReason; message: string; context: JsonRecord | null }
  | { kind: 'timeout'; reason: HordeFailureReason; note?: string }
  | { kind: 'connection-failed'; text: string }
  | { kind: 'exception'; exceptionType: string; text: string };

export const TIMEOUT_SUBTYPE: SystemEventSubtype = 'ERROR_VALIDATOR_REPORTED_TIMEOUT';

export function jobFailureSubtype(reason: string): SystemEventSubtype {
  switch (reason) {
    case 'unknown': return 'GENERIC_ERROR';
    case 'timeout': return 'JOB_TIMEOUT';
    case 'nonzero_return_code': return 'JOB_PROCESS_NONZERO_EXIT_CODE';
    case 'download_failed': return 'JOB_VOLUME_DOWNLOAD_FAILED';
    case 'upload_failed': return 'JOB_RESULT_UPLOAD_FAILED';
    default: return 'GENERIC_JOB_FAILURE';
  }
}

export function hordeFailureSubtype(reason: string): SystemEventSubtype {
  if (reason === 'miner_connection_failed') return 'MINER_CONNECTION_ERROR';
  if (reason.endsWith('_timed_out')) return 'ERROR_VALIDATOR_REPORTED_TIMEOUT';
  if (reason === 'security_check_failed') return 'ERROR_DURING_SECURITY_CHECK';
  return 'GENERIC_ERROR';
}

export function validatorHordeUpdate(uuid: string, status: 'failed' | 'horde_failed', reason: HordeFailureReason, message: string, context: JsonRecord | null): JobStatusUpdate {
  return { uuid, status, metadata: { horde_failure_details: { reported_by: 'validator', reason, message, context } } };
}

export function timeoutMessage(reason: string): string {
  return `Timed out waiting for miner (reason=${reason})`;
}
