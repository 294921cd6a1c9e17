import type { ExecutorClass } from '../../protocol/executor-class';

/** Wire shapes the generators produce (miner-protocol.md §7.1-7.2) [INTEROP]. */
export interface InlineVolumeJson {
  volume_type: 'inline';
  contents: string;
  relative_path: string | null;
}
export interface SingleFileVolumeJson {
  volume_type: 'single_file';
  url: string;
  relative_path: string;
}
export interface MultiVolumeJson {
  volume_type: 'multi_volume';
  volumes: SingleFileVolumeJson[];
}
export type VolumeJson = InlineVolumeJson | MultiVolumeJson;

export interface MultiUploadJson {
  output_upload_type: 'multi_upload';
  uploads: { output_upload_type: 'single_file_put'; url: string; relative_path: string; signed_headers: null }[];
  system_output: null;
}
export type OutputUploadJson = MultiUploadJson;

export interface CorrectnessVerdict {
  correct: boolean;
  comment: string;
}

/** What the batch needs of a job's finished message to judge it. */
export interface FinishedResult {
  stdout: string;
  /** The raw message text (for comments). */
  rawMessage: string;
}

/** What the HTTPS trigger of a streaming job measured (synthetic-jobs.md §5.3.5). */
export interface StreamingTriggerOutcome {
  /** Wall time of a successful POST /execute-job, seconds; null when it failed. */
  processingSeconds: number | null;
  /** The answers file hash /execute-job returned. */
  responseHash: string | null;
  /** Why there is no hash (comment of the verdict), or null. */
  failReason: string | null;
}

/** The streaming part of a job (only streaming LLM jobs have it). */
export interface StreamingJobParts {
  /** Body of POST /execute-job is {"seed": seed}. */
  readonly seed: number;
  /** The engine hands over what the trigger measured, before collectResult and the verify calls. */
  recordTrigger(outcome: StreamingTriggerOutcome): void;
  /** The trigger's processing time (telemetry "execution time"), null before/without a trigger. */
  readonly processingSeconds: number | null;
}

/**
 * One synthetic job's definition and checks (synthetic-jobs.md §5 generator interface).
 * Created per job; holds the expected answer, which never leaves the validator.
 */
export interface SyntheticJobGenerator {
  readonly jobUuid: string;
  readonly executorClass: ExecutorClass;
  readonly timeoutSeconds: number;
  /** docker_image of V0InitialJobRequest. */
  readonly baseDockerImage: string;
  /** docker_image of V0JobRequest. */
  readonly dockerImage: string;
  readonly dockerRunOptionsPreset: 'nvidia_all';
  readonly dockerRunCmd: string[];
  readonly rawScript: string | null;
  /** The engine sets it to null once the request that carries it is sent (payloads are large). */
  volume: VolumeJson | null;
  /** true: the volume travels in V0InitialJobRequest; false: in V0JobRequest. */
  readonly volumeInInitialRequest: boolean;
  readonly outputUpload: OutputUploadJson | null;
  readonly description: string;
  /** true/false, or null when there is no measurement to judge. */
  verifyTime(seconds: number): boolean | null;
  verifyCorrectness(result: FinishedResult): CorrectnessVerdict;
  /**
   * Work after a V0JobFinishedRequest and before verifyCorrectness (LLM: download the uploaded
   * answers). Must not throw; failures show in the verdict.
   */
  collectResult?(): Promise<void>;
  /**
   * Present on streaming jobs: the engine sends streaming_details, waits for the executor's
   * V0StreamingJobReadyRequest and triggers the job over HTTPS (synthetic-jobs.md §4.8-4.9).
   */
  readonly streaming?: StreamingJobParts;
}
