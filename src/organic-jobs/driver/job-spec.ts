import type { ExecutorClass } from '../../protocol';
import {
  OutputUpload, pairsToRecord, treeToPlain, uploadTree, V2JobRequest, Volume, volumeTree,
} from '../../protocol/facilitator';
import type { StageLimits } from './timing';

/** Everything the miner driver needs to run one organic job, whatever started it. */
export interface OrganicJobSpec {
  uuid: string;
  executorClass: ExecutorClass;
  dockerImage: string;
  args: string[];
  env: Record<string, string>;
  useGpu: boolean;
  /** Plain wire objects (order not signed on the miner side). */
  volume: Record<string, unknown> | null;
  outputUpload: Record<string, unknown> | null;
  artifactsDir: string | null;
  streamingDetails: { public_key: string; executor_ip: string | null } | null;
  /** null: single-timeout mode (admin jobs). */
  limits: StageLimits | null;
  /** `timeout_seconds` of the initial request: 300 for facilitator jobs, the admin job's timeout otherwise. */
  totalTimeout: number;
  namespace: string | null;
  jobDescription: string;
}

export function volumeToPlain(v: Volume | null): Record<string, unknown> | null {
  return v === null ? null : (treeToPlain(volumeTree(v)) as Record<string, unknown>);
}

export function uploadToPlain(u: OutputUpload | null): Record<string, unknown> | null {
  return u === null ? null : (treeToPlain(uploadTree(u)) as Record<string, unknown>);
}

/** A facilitator job as the driver sees it (organic-jobs.md §6.3 field derivation). */
export function specFromJobRequest(req: V2JobRequest): OrganicJobSpec {
  return {
    uuid: req.uuid,
    executorClass: req.executor_class,
    dockerImage: req.docker_image,
    args: [...req.args],
    env: pairsToRecord(req.env) ?? {},
    useGpu: req.use_gpu,
    volume: volumeToPlain(req.volume),
    outputUpload: uploadToPlain(req.output_upload),
    artifactsDir: req.artifacts_dir,
    streamingDetails: req.streaming_details,
    limits: { download: req.download_time_limit, execution: req.execution_time_limit, upload: req.upload_time_limit, streaming: req.streaming_start_time_limit },
    totalTimeout: 300,
    namespace: req.job_namespace ? req.job_namespace : req.docker_image ? req.docker_image : null,
    jobDescription: 'User job from facilitator',
  };
}
