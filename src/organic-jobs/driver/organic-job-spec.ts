import type { ExecutorClass, OutputUpload, SingleFileUpload, SingleVolume, StreamingDetails, Volume, ZipUpload } from '../../protocol';
import {
  pairsToRecord, V2JobRequest,
  type OutputUpload as FacilitatorUpload, type SimpleVolume as FacilitatorSimpleVolume, type Volume as FacilitatorVolume,
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
  /** As the miner protocol sends them (the facilitator's fields in the same order). */
  volume: Volume | null;
  outputUpload: OutputUpload | null;
  artifactsDir: string | null;
  streamingDetails: StreamingDetails | null;
  /** null: single-timeout mode (admin jobs). */
  limits: StageLimits | null;
  /** `timeout_seconds` of the initial request: 300 for facilitator jobs, the admin job's timeout otherwise. */
  totalTimeout: number;
  namespace: string | null;
  jobDescription: string;
}

/** A job request the miner protocol cannot carry (e.g. an unknown Hugging Face repo type). */
export class UnsupportedJobSpec extends Error {
  override readonly name = 'UnsupportedJobSpec';
}

const HF_REPO_TYPES = ['model', 'dataset', 'space'] as const;
type HfRepoType = (typeof HF_REPO_TYPES)[number];
const isHfRepoType = (t: string): t is HfRepoType => (HF_REPO_TYPES as readonly string[]).includes(t);

function simpleVolume(v: FacilitatorSimpleVolume): SingleVolume {
  switch (v.volume_type) {
    case 'inline':
    case 'zip_url':
      return v.volume_type === 'inline'
        ? { volume_type: 'inline', contents: v.contents, relative_path: v.relative_path }
        : { volume_type: 'zip_url', contents: v.contents, relative_path: v.relative_path };
    case 'single_file':
      return { volume_type: 'single_file', url: v.url, relative_path: v.relative_path };
    case 'huggingface_volume': {
      const repoType = v.repo_type;
      if (repoType !== null && !isHfRepoType(repoType)) throw new UnsupportedJobSpec(`huggingface_volume repo_type ${JSON.stringify(repoType)} is not model, dataset or space`);
      return {
        volume_type: 'huggingface_volume', repo_id: v.repo_id, repo_type: repoType, revision: v.revision, relative_path: v.relative_path,
        allow_patterns: v.allow_patterns === null ? null : Array.isArray(v.allow_patterns) ? [...v.allow_patterns] : v.allow_patterns, token: v.token,
      };
    }
  }
}

/** A facilitator volume in the miner protocol's shape (same fields, same order). */
export function minerVolume(v: FacilitatorVolume | null): Volume | null {
  if (v === null) return null;
  return v.volume_type === 'multi_volume' ? { volume_type: 'multi_volume', volumes: v.volumes.map(simpleVolume) } : simpleVolume(v);
}

function singleFileUpload(u: Extract<FacilitatorUpload, { output_upload_type: 'single_file_post' | 'single_file_put' }>): SingleFileUpload {
  return u.output_upload_type === 'single_file_post'
    ? { output_upload_type: 'single_file_post', url: u.url, form_fields: pairsToRecord(u.form_fields), relative_path: u.relative_path, signed_headers: pairsToRecord(u.signed_headers) }
    : { output_upload_type: 'single_file_put', url: u.url, relative_path: u.relative_path, signed_headers: pairsToRecord(u.signed_headers) };
}

function zipUpload(u: Extract<FacilitatorUpload, { output_upload_type: 'zip_and_http_post' | 'zip_and_http_put' }>): ZipUpload {
  return u.output_upload_type === 'zip_and_http_post'
    ? { output_upload_type: 'zip_and_http_post', url: u.url, form_fields: pairsToRecord(u.form_fields) }
    : { output_upload_type: 'zip_and_http_put', url: u.url };
}

/** A facilitator output upload in the miner protocol's shape (same fields, same order). */
export function minerOutputUpload(u: FacilitatorUpload | null): OutputUpload | null {
  if (u === null) return null;
  switch (u.output_upload_type) {
    case 'single_file_post':
    case 'single_file_put':
      return singleFileUpload(u);
    case 'zip_and_http_post':
    case 'zip_and_http_put':
      return zipUpload(u);
    case 'multi_upload':
      return { output_upload_type: 'multi_upload', uploads: u.uploads.map(singleFileUpload), system_output: u.system_output ? zipUpload(u.system_output) : null };
  }
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
    volume: minerVolume(req.volume),
    outputUpload: minerOutputUpload(req.output_upload),
    artifactsDir: req.artifacts_dir,
    streamingDetails: req.streaming_details,
    limits: { download: req.download_time_limit, execution: req.execution_time_limit, upload: req.upload_time_limit, streaming: req.streaming_start_time_limit },
    totalTimeout: 300,
    namespace: req.job_namespace ? req.job_namespace : req.docker_image ? req.docker_image : null,
    jobDescription: 'User job from facilitator',
  };
}
