import type { HordeFailureReason, JobStatusUpdate, JsonRecord, Participant } from '../../protocol/facilitator';
import type { SystemEventSubtype, SystemEventType } from '../../observability/system-events/system-event.types';
import type { MinerMessageOf } from '../../protocol';
import type { OrganicJobStatus } from '../persistence/organic-job.entity';
import type { MinerIncidentType } from '../persistence/miner-incident.entity';

/** How a driven job ended, before it is written anywhere. */
export type DriverOutcome =
  | { kind: 'completed'; finished: MinerMessageOf<'V0JobFinishedRequest'> }
  | { kind: 'declined'; decline: MinerMessageOf<'V0DeclineJobRequest'> }
  | { kind: 'job-failed'; failed: MinerMessageOf<'V0JobFailedRequest'> }
  | { kind: 'horde-failed'; reportedBy: Participant; reason: HordeFailureReason; message: string; context: JsonRecord | null }
  | { kind: 'timeout'; reason: HordeFailureReason; note?: string }
  | { kind: 'connection-failed'; text: string }
  | { kind: 'exception'; exceptionType: string; text: string }
  /** The validator stopped the job (shutdown after the grace period): not the miner's doing. */
  | { kind: 'interrupted'; lastStatus: string };

/** Why the validator itself ended a job: a shutdown (SIGTERM) or a restart after a stop it did not survive. */
export type InterruptionCause = 'validator_shutdown' | 'validator_restarted';

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

/**
 * The end status of a job the validator stopped (ours: the reference loses such jobs): `horde_failed`,
 * reported by the validator, reason `generic_error`, the cause and the last status in the context.
 */
export function interruptedUpdate(uuid: string, cause: InterruptionCause, lastStatus: string): JobStatusUpdate {
  return validatorHordeUpdate(uuid, 'horde_failed', 'generic_error', interruptionMessage(cause), { cause, last_status: lastStatus });
}

export function interruptionMessage(cause: InterruptionCause): string {
  return cause === 'validator_shutdown'
    ? 'The validator shut down while the job was in progress'
    : 'The validator restarted while the job was in progress; its outcome is unknown';
}

/** Everything a job's outcome writes: the facilitator update, the row, the incident and the event. */
export interface OutcomeRecord {
  status: OrganicJobStatus;
  comment: string;
  /** Machine-readable, stored in organic_job.outcome_reason. */
  reason: string;
  update: JobStatusUpdate;
  incident: MinerIncidentType | null;
  event: { type: SystemEventType; subtype: SystemEventSubtype };
  stored?: { stdout: string; stderr: string; artifacts: Record<string, string>; uploadResults: Record<string, string> };
  /** The miner is not to blame (interruptions): no blacklist. */
  minerAtFault: boolean;
}

/**
 * §6.6: the outcome of a driven job mapped to what is sent and stored. Pure; `excused` is the §6.7
 * verdict for a `busy` decline (false for anything else).
 */
export function describeOutcome(outcome: DriverOutcome, job: { uuid: string; minerHotkey: string; minerAddress: string; minerPort: number; excused: boolean }): OutcomeRecord {
  const { uuid } = job;
  const failure = (r: Omit<OutcomeRecord, 'status' | 'minerAtFault'>): OutcomeRecord => ({ status: 'FAILED', minerAtFault: true, ...r });
  switch (outcome.kind) {
    case 'completed': {
      const f = outcome.finished;
      const response = { docker_process_stderr: f.docker_process_stderr, docker_process_stdout: f.docker_process_stdout, artifacts: f.artifacts ?? {}, upload_results: f.upload_results ?? {} };
      return {
        status: 'COMPLETED', minerAtFault: false, reason: 'completed', incident: null,
        comment: `Miner ${job.minerAddress}:${job.minerPort} hotkey=${job.minerHotkey} finished: stdout=${f.docker_process_stdout.slice(0, 200)} stderr=${f.docker_process_stderr.slice(0, 200)}`,
        stored: { stdout: f.docker_process_stdout, stderr: f.docker_process_stderr, artifacts: response.artifacts, uploadResults: response.upload_results },
        update: { uuid, status: 'completed', metadata: { miner_response: response } },
        event: { type: 'MINER_ORGANIC_JOB_SUCCESS', subtype: 'SUCCESS' },
      };
    }
    case 'declined': {
      const d = outcome.decline;
      const busy = d.reason === 'busy';
      const comment = busy ? (job.excused ? 'Miner properly excused job' : 'Miner failed to excuse job') : d.message;
      const update: JobStatusUpdate = { uuid, status: 'rejected', metadata: { job_rejection_details: { rejected_by: 'miner', reason: d.reason, message: comment, context: (d.context ?? null) as JsonRecord | null } } };
      if (busy && job.excused) {
        return { status: 'EXCUSED', minerAtFault: false, comment, reason: 'declined:busy:excused', update, incident: null, event: { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'JOB_EXCUSED' } };
      }
      return failure({
        comment, reason: busy ? 'declined:busy:not_excused' : `declined:${d.reason}`, update, incident: 'MINER_JOB_REJECTED',
        event: { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'JOB_REJECTED' },
      });
    }
    case 'job-failed': {
      const f = outcome.failed;
      return failure({
        comment: f.message, reason: `job_failed:${f.reason}`, incident: 'MINER_JOB_FAILED',
        event: { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: jobFailureSubtype(f.reason) },
        update: {
          uuid, status: 'failed', metadata: { job_failure_details: {
            reason: f.reason, stage: f.stage, message: f.message, context: (f.context ?? null) as JsonRecord | null,
            docker_process_exit_status: f.docker_process_exit_status ?? null, docker_process_stdout: f.docker_process_stdout ?? null, docker_process_stderr: f.docker_process_stderr ?? null,
          } },
        },
      });
    }
    case 'horde-failed':
      return failure({
        comment: outcome.message, reason: `horde_failed:${outcome.reason}`, incident: 'MINER_HORDE_FAILED',
        event: { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: hordeFailureSubtype(outcome.reason) },
        update: { uuid, status: 'horde_failed', metadata: { horde_failure_details: { reported_by: outcome.reportedBy, reason: outcome.reason, message: outcome.message, context: outcome.context } } },
      });
    case 'timeout': {
      const msg = timeoutMessage(outcome.reason);
      return failure({
        comment: `Horde failed (${outcome.reason}): ${msg}${outcome.note ? `; ${outcome.note}` : ''}`, reason: outcome.reason, incident: null,
        event: { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: hordeFailureSubtype(outcome.reason) },
        update: validatorHordeUpdate(uuid, 'failed', outcome.reason, msg, null),
      });
    }
    case 'connection-failed': {
      const msg = `Miner connection failed: ${outcome.text}`;
      return failure({
        comment: `Horde failed (miner_connection_failed): ${msg}`, reason: 'miner_connection_failed', incident: null,
        event: { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'MINER_CONNECTION_ERROR' },
        update: validatorHordeUpdate(uuid, 'failed', 'miner_connection_failed', msg, null),
      });
    }
    case 'exception':
      return failure({
        comment: 'Horde failed (unhandled_exception): Unhandled exception', reason: 'unhandled_exception', incident: null,
        event: { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'GENERIC_ERROR' },
        update: validatorHordeUpdate(uuid, 'failed', 'unhandled_exception', 'Unhandled exception', { exception_type: outcome.exceptionType }),
      });
    case 'interrupted':
      return {
        status: 'FAILED', minerAtFault: false, reason: 'validator_shutdown', incident: null,
        comment: `Horde failed (validator_shutdown): ${interruptionMessage('validator_shutdown')} (last status: ${outcome.lastStatus})`,
        event: { type: 'VALIDATOR_FAILURE', subtype: 'INTERRUPTED' },
        update: interruptedUpdate(uuid, 'validator_shutdown', outcome.lastStatus),
      };
  }
}
