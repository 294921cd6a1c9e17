import { u8aToHex } from '@polkadot/util';
import type { KeyringPair } from '@polkadot/keyring/types';
import { JsonNumber, JsonObject } from './json-tree';
import { pairsToTree, streamingDetailsTree, uploadTree, volumeTree } from './volumes-and-uploads';
import { RequestSignature, V0JobCheated, V2JobRequest } from './messages';

/** Job status strings (organic-jobs.md §2.5.1). `sent` belongs to the facilitator; we never send it. */
export const JOB_STATUSES = [
  'received', 'accepted', 'executor_ready', 'streaming_ready', 'volumes_ready', 'execution_done',
  'completed', 'rejected', 'failed', 'horde_failed',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const END_STATUSES: readonly JobStatus[] = ['completed', 'rejected', 'failed', 'horde_failed'];

export type Participant = 'unknown' | 'sdk' | 'facilitator' | 'validator' | 'miner' | 'executor';
export type RejectionReason = 'unknown' | 'busy' | 'invalid_signature' | 'no_miner_for_job' | 'validator_blacklisted';
export type FailureReason = 'unknown' | 'timeout' | 'nonzero_return_code' | 'download_failed' | 'upload_failed';
export type JobStage = 'unknown' | 'executor_startup' | 'volume_download' | 'streaming_startup' | 'execution' | 'result_upload';
export type HordeFailureReason =
  | 'unknown' | 'generic_error' | 'unhandled_exception' | 'unhandled_timeout' | 'streaming_failed' | 'miner_connection_failed'
  | 'initial_response_timed_out' | 'executor_readiness_response_timed_out' | 'volumes_timed_out' | 'streaming_job_ready_timed_out'
  | 'execution_timed_out' | 'final_response_timed_out' | 'executor_spinup_failed' | 'executor_disconnected' | 'security_check_failed';

/** Free-form JSON objects carried in status metadata (context, artifacts, upload results). */
export type JsonRecord = { [key: string]: unknown };

export interface MinerResponseMeta {
  docker_process_stderr: string;
  docker_process_stdout: string;
  artifacts: Record<string, string> | null;
  upload_results: Record<string, string> | null;
}
export interface JobRejectionDetails { rejected_by: Participant; reason: RejectionReason; message: string; context: JsonRecord | null }
export interface JobFailureDetails {
  reason: FailureReason; stage: JobStage; message: string; context: JsonRecord | null;
  docker_process_exit_status: number | null; docker_process_stdout: string | null; docker_process_stderr: string | null;
}
export interface HordeFailureDetails { reported_by: Participant; reason: HordeFailureReason; message: string; context: JsonRecord | null }
export interface StreamingServerDetails { streaming_server_cert: string | null; streaming_server_address: string | null; streaming_server_port: number | null }

export interface JobStatusMetadata {
  miner_response?: MinerResponseMeta | null;
  job_rejection_details?: JobRejectionDetails | null;
  job_failure_details?: JobFailureDetails | null;
  horde_failure_details?: HordeFailureDetails | null;
  streaming_details?: StreamingServerDetails | null;
}

export interface JobStatusUpdate {
  uuid: string;
  status: JobStatus;
  metadata: JobStatusMetadata | null;
}

/** V0JobStatusUpdate as the reference writes it: compact, every metadata member present (null when absent). */
export function jobStatusUpdateText(u: JobStatusUpdate): string {
  const m = u.metadata;
  return JSON.stringify({
    message_type: 'V0JobStatusUpdate',
    uuid: u.uuid,
    status: u.status,
    metadata: m === null ? null : {
      miner_response: m.miner_response ? {
        docker_process_stderr: m.miner_response.docker_process_stderr,
        docker_process_stdout: m.miner_response.docker_process_stdout,
        artifacts: m.miner_response.artifacts,
        upload_results: m.miner_response.upload_results,
      } : null,
      job_rejection_details: m.job_rejection_details ? {
        rejected_by: m.job_rejection_details.rejected_by, reason: m.job_rejection_details.reason,
        message: m.job_rejection_details.message, context: m.job_rejection_details.context,
      } : null,
      job_failure_details: m.job_failure_details ? {
        reason: m.job_failure_details.reason, stage: m.job_failure_details.stage, message: m.job_failure_details.message,
        context: m.job_failure_details.context, docker_process_exit_status: m.job_failure_details.docker_process_exit_status,
        docker_process_stdout: m.job_failure_details.docker_process_stdout, docker_process_stderr: m.job_failure_details.docker_process_stderr,
      } : null,
      horde_failure_details: m.horde_failure_details ? {
        reported_by: m.horde_failure_details.reported_by, reason: m.horde_failure_details.reason,
        message: m.horde_failure_details.message, context: m.horde_failure_details.context,
      } : null,
      streaming_details: m.streaming_details ? {
        streaming_server_cert: m.streaming_details.streaming_server_cert,
        streaming_server_address: m.streaming_details.streaming_server_address,
        streaming_server_port: m.streaming_details.streaming_server_port,
      } : null,
    },
  });
}

/** The validator's first frame (§2.2): hex public key without 0x, signature over the 32 raw key bytes. */
export function authenticationRequestText(hotkey: KeyringPair): string {
  return JSON.stringify({
    message_type: 'V0AuthenticationRequest',
    public_key: u8aToHex(hotkey.publicKey, -1, false),
    signature: u8aToHex(hotkey.sign(hotkey.publicKey)),
  });
}

export const HEARTBEAT_TEXT = '{"message_type":"V0Heartbeat"}';

export function machineSpecsUpdateText(u: { miner_hotkey: string; validator_hotkey: string; specs: JsonRecord; batch_id: string }): string {
  return JSON.stringify({ message_type: 'V0MachineSpecsUpdate', ...u });
}

// ---- facilitator side (used by the simulated facilitator) ----

function signatureTree(s: RequestSignature): JsonObject {
  const o = new JsonObject();
  o.set('signature_type', s.signature_type);
  o.set('signatory', s.signatory);
  o.set('timestamp_ns', new JsonNumber(s.timestamp_ns.toString()));
  o.set('signature', s.signature);
  o.set('signature_scope', s.signature_scope);
  return o;
}

/** A V2JobRequest in the facilitator's field order (render with pythonJson for the facilitator's exact text). */
export function v2JobRequestTree(r: V2JobRequest): JsonObject {
  const o = new JsonObject();
  o.set('signature', r.signature ? signatureTree(r.signature) : null);
  o.set('type', 'job.new');
  o.set('message_type', 'V2JobRequest');
  o.set('uuid', r.uuid);
  o.set('job_namespace', r.job_namespace);
  o.set('executor_class', r.executor_class);
  o.set('docker_image', r.docker_image);
  o.set('args', [...r.args]);
  o.set('env', pairsToTree(r.env));
  o.set('use_gpu', r.use_gpu);
  o.set('volume', r.volume ? volumeTree(r.volume) : null);
  o.set('output_upload', r.output_upload ? uploadTree(r.output_upload) : null);
  o.set('artifacts_dir', r.artifacts_dir);
  o.set('on_trusted_miner', r.on_trusted_miner);
  o.set('download_time_limit', new JsonNumber(String(r.download_time_limit)));
  o.set('execution_time_limit', new JsonNumber(String(r.execution_time_limit)));
  o.set('upload_time_limit', new JsonNumber(String(r.upload_time_limit)));
  o.set('streaming_start_time_limit', new JsonNumber(String(r.streaming_start_time_limit)));
  o.set('streaming_details', streamingDetailsTree(r.streaming_details));
  return o;
}

export function v0JobCheatedTree(r: V0JobCheated): JsonObject {
  const o = new JsonObject();
  o.set('signature', signatureTree(r.signature));
  o.set('type', 'job.cheated');
  o.set('message_type', 'V0JobCheated');
  o.set('job_uuid', r.job_uuid);
  o.set('trusted_job_uuid', r.trusted_job_uuid);
  o.set('details', r.details);
  return o;
}
