/** Enumerations of protocol_consts.py (miner-protocol.md §5.2). Values are wire strings. */

export const JOB_REJECTION_REASONS = ['unknown', 'busy', 'invalid_signature', 'no_miner_for_job', 'validator_blacklisted'] as const;
export type JobRejectionReason = (typeof JOB_REJECTION_REASONS)[number];

export const JOB_FAILURE_REASONS = ['unknown', 'timeout', 'nonzero_return_code', 'download_failed', 'upload_failed'] as const;
export type JobFailureReason = (typeof JOB_FAILURE_REASONS)[number];

export const HORDE_FAILURE_REASONS = [
  'unknown', 'generic_error', 'unhandled_exception', 'unhandled_timeout', 'streaming_failed', 'miner_connection_failed',
  'initial_response_timed_out', 'executor_readiness_response_timed_out', 'volumes_timed_out',
  'streaming_job_ready_timed_out', 'execution_timed_out', 'final_response_timed_out', 'executor_spinup_failed',
  'executor_disconnected', 'security_check_failed',
] as const;
export type HordeFailureReason = (typeof HORDE_FAILURE_REASONS)[number];

export const JOB_STAGES = ['unknown', 'executor_startup', 'volume_download', 'streaming_startup', 'execution', 'result_upload'] as const;
export type JobStage = (typeof JOB_STAGES)[number];

export const JOB_PARTICIPANT_TYPES = ['unknown', 'sdk', 'facilitator', 'validator', 'miner', 'executor'] as const;
export type JobParticipantType = (typeof JOB_PARTICIPANT_TYPES)[number];

export const JOB_STATUSES = [
  'unknown', 'sent', 'received', 'accepted', 'executor_ready', 'streaming_ready', 'volumes_ready', 'execution_done',
  'completed', 'rejected', 'failed', 'horde_failed',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_END_STATUSES: readonly JobStatus[] = ['completed', 'rejected', 'failed', 'horde_failed'];

export const UNAUTHORIZED_CODES = ['TOKEN_TOO_OLD', 'UNKNOWN_VALIDATOR', 'VALIDATOR_INACTIVE'] as const;
export type UnauthorizedCode = (typeof UNAUTHORIZED_CODES)[number];

export const RECEIPT_TYPES = ['JobStartedReceipt', 'JobAcceptedReceipt', 'JobFinishedReceipt'] as const;
export type ReceiptType = (typeof RECEIPT_TYPES)[number];

export const DOCKER_RUN_OPTIONS_PRESETS = ['nvidia_all', 'none'] as const;
export type DockerRunOptionsPreset = (typeof DOCKER_RUN_OPTIONS_PRESETS)[number];
