import {
  MultiUpload, MultiVolume, SingleFilePutUpload, SingleFileVolume, type ExecutorClass, type OutputUpload, type Volume,
} from '../../protocol';

/**
 * The two jobs the trusted miner runs (spec §6.3, §6.5 and §5.3.1), as pure data. Images, arguments,
 * file names and upload layout are [INTEROP] with the real prompt-gen / prompt-solver images.
 */

export const LLM_EXECUTOR_CLASS: ExecutorClass = 'always_on.llm.a6000';
export const PROMPT_SOLVER_IMAGE = 'docker.io/backenddevelopersltd/compute-horde-prompt-solver:v0-latest';
export const PROMPT_GEN_IMAGE_PREFIX = 'backenddevelopersltd/compute-horde-prompt-gen-';
export const PROMPT_GENERATION_TIMEOUT_SECONDS = 300;
export const LLM_JOB_TIMEOUT_SECONDS = 150;
/** 150 + max(30 (spin-up of always_on.llm.a6000), 10) (spec §6.5). */
export const PROMPT_ANSWERING_TOTAL_TIMEOUT_SECONDS = 180;
export const SOLVER_SAMPLING_ARGS = ['--temperature=0.5', '--top-p=0.8', '--max-tokens=256'] as const;

/** A job for the trusted miner, run in the organic single-timeout flow (spec §6.2). */
export interface TrustedJobSpec {
  jobUuid: string;
  executorClass: ExecutorClass;
  dockerImage: string;
  dockerRunCmd: string[];
  /** Sent in V0InitialJobRequest; the V0JobRequest carries volume null. */
  volume: Volume | null;
  outputUpload: OutputUpload | null;
  totalJobTimeoutSeconds: number;
  description: string;
}

export function promptGenerationImage(model: string): string {
  return `${PROMPT_GEN_IMAGE_PREFIX}${model}:v0-latest`;
}

function putUpload(url: string, relativePath: string): SingleFilePutUpload {
  return Object.assign(new SingleFilePutUpload(), { url, relative_path: relativePath, signed_headers: null });
}

function multiUpload(uploads: SingleFilePutUpload[]): MultiUpload {
  return Object.assign(new MultiUpload(), { uploads, system_output: null });
}

/** Prompt generation: one output file `prompts_<series_uuid>.txt` per series, each PUT to its presigned URL. */
export function promptGenerationJob(args: {
  jobUuid: string;
  model: string;
  promptsPerSeries: number;
  series: { uuid: string; uploadUrl: string }[];
}): TrustedJobSpec {
  return {
    jobUuid: args.jobUuid,
    executorClass: LLM_EXECUTOR_CLASS,
    dockerImage: promptGenerationImage(args.model),
    dockerRunCmd: [
      '--quantize', '--model_name', args.model, '--batch_size=250', '--num_return_sequences=1', '--max_new_tokens=40',
      '--number_of_prompts_per_batch', String(args.promptsPerSeries), '--uuids', args.series.map((s) => s.uuid).join(','),
    ],
    volume: null,
    outputUpload: multiUpload(args.series.map((s) => putUpload(s.uploadUrl, `prompts_${s.uuid}.txt`))),
    totalJobTimeoutSeconds: PROMPT_GENERATION_TIMEOUT_SECONDS,
    description: 'LLM prompts generation job',
  };
}

/** The LLM prompts job volume: the prompts file at `<file_uuid>.txt`. */
export function llmPromptsVolume(promptsUrl: string, fileUuid: string): MultiVolume {
  const file = Object.assign(new SingleFileVolume(), { url: promptsUrl, relative_path: `${fileUuid}.txt` });
  return Object.assign(new MultiVolume(), { volumes: [file] });
}

/** The LLM prompts job upload: `<file_uuid>.json` PUT to the presigned URL of `solved/<file_uuid>.json`. */
export function llmAnswersUpload(uploadUrl: string, fileUuid: string): MultiUpload {
  return multiUpload([putUpload(uploadUrl, `${fileUuid}.json`)]);
}

/** docker_run_cmd of the LLM prompts job (non-streaming form: --seed). */
export function llmSolverArgs(fileUuid: string, seed: number): string[] {
  return [...SOLVER_SAMPLING_ARGS, '--seed', String(seed), `/volume/${fileUuid}.txt`];
}

/** Prompt answering on the trusted miner: the plain LLM prompts job over the workload file. */
export function promptAnsweringJob(args: { jobUuid: string; fileUuid: string; workloadUrl: string; seed: number; answersUploadUrl: string }): TrustedJobSpec {
  return {
    jobUuid: args.jobUuid,
    executorClass: LLM_EXECUTOR_CLASS,
    dockerImage: PROMPT_SOLVER_IMAGE,
    dockerRunCmd: llmSolverArgs(args.fileUuid, args.seed),
    volume: llmPromptsVolume(args.workloadUrl, args.fileUuid),
    outputUpload: llmAnswersUpload(args.answersUploadUrl, args.fileUuid),
    totalJobTimeoutSeconds: PROMPT_ANSWERING_TOTAL_TIMEOUT_SECONDS,
    description: 'LLM prompts job',
  };
}

/** Key of an answers file in the answers bucket. */
export function answersKey(fileUuid: string): string {
  return `solved/${fileUuid}.json`;
}
