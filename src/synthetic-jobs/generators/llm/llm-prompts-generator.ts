import { createHash, randomUUID } from 'node:crypto';
import type { ExecutorClass } from '../../../protocol/executor-class';
import type { CorrectnessVerdict, MultiUploadJson, MultiVolumeJson, StreamingTriggerOutcome, SyntheticJobGenerator } from '../synthetic-job-generator';

/** The LLM prompts job (synthetic-jobs.md §5.3) [INTEROP: image, arguments, volume and upload shapes]. */
export const PROMPT_SOLVER_IMAGE = 'docker.io/backenddevelopersltd/compute-horde-prompt-solver:v0-latest';
export const LLM_JOB_TIMEOUT_SECONDS = 150;
export const LLM_ANSWER_DOWNLOAD_ATTEMPTS = 5;
/** A streaming job passes only if POST /execute-job answered within this many seconds (§5.3.5 step 7). */
export const STREAMING_PROCESSING_LIMIT_SECONDS = 30;

export interface LlmSampleInput {
  /** Public URL of the whole prompt series (the job's input file). */
  seriesUrl: string;
  /** The workload seed the trusted miner answered with. */
  seed: number;
  /** Expected answers: every `content` must map to exactly `answer` in the miner's answers file. */
  prompts: readonly { content: string; answer: string }[];
}

export interface LlmJobOptions {
  executorClass: ExecutorClass;
  sample: LlmSampleInput;
  /**
   * Streaming variant (class in DYNAMIC_SYNTHETIC_STREAMING_JOB_EXECUTOR_CLASSES): the solver runs as a
   * server (`--server`) and the validator triggers it with the seed over HTTPS.
   */
  streaming?: boolean;
  /** Presigned PUT URL and public URL of `solved/<file_uuid>.json` in the answers bucket. */
  urlsFor(fileUuid: string): Promise<{ uploadUrl: string; publicUrl: string }>;
  /** GET of the public answers URL, one attempt (throws on transport/HTTP errors). */
  download(url: string): Promise<Buffer>;
  /** Wait between download attempts (the reference: 0.2 × 2^attempt s + jitter). */
  sleep(ms: number): Promise<void>;
}

export interface LlmJob extends SyntheticJobGenerator {
  readonly fileUuid: string;
  readonly answersUrl: string;
  /** Download failures, for events. */
  readonly downloadError: string | null;
}

/**
 * LLM prompts job. Streaming (§5.3.5-5.3.6): judged on the trigger's processing time (≤ 30 s) and on
 * the answers file hash the executor returned, which must equal the hash of the uploaded file, whose
 * answers must match the trusted miner's. Non-streaming deviation (scoring-synthetic-era.md §7 item 5,
 * second option): the uploaded answers file is judged directly; the reference requires a streaming
 * response hash and so fails every non-streaming LLM job.
 */
export async function createLlmPromptsJob(opts: LlmJobOptions): Promise<LlmJob> {
  const fileUuid = randomUUID();
  const { uploadUrl, publicUrl } = await opts.urlsFor(fileUuid);
  const volume: MultiVolumeJson = { volume_type: 'multi_volume', volumes: [{ volume_type: 'single_file', url: opts.sample.seriesUrl, relative_path: `${fileUuid}.txt` }] };
  const outputUpload: MultiUploadJson = {
    output_upload_type: 'multi_upload',
    uploads: [{ output_upload_type: 'single_file_put', url: uploadUrl, relative_path: `${fileUuid}.json`, signed_headers: null }],
    system_output: null,
  };
  let answers: Record<string, unknown> | null = null;
  let answersHash: string | null = null;
  let downloadError: string | null = null;
  let trigger: StreamingTriggerOutcome | null = null;
  const streaming = opts.streaming === true;
  const answersVerdict = (got: Record<string, unknown>): CorrectnessVerdict | null => {
    for (const p of opts.sample.prompts) {
      if (!(p.content in got)) return { correct: false, comment: 'result does not contain all answers' };
    }
    for (const p of opts.sample.prompts) {
      if (got[p.content] !== p.answer) return { correct: false, comment: 'results does not match expected answers' };
    }
    return null;
  };

  const job: LlmJob = {
    jobUuid: randomUUID(),
    fileUuid,
    answersUrl: publicUrl,
    get downloadError() {
      return downloadError;
    },
    executorClass: opts.executorClass,
    timeoutSeconds: LLM_JOB_TIMEOUT_SECONDS,
    baseDockerImage: PROMPT_SOLVER_IMAGE,
    dockerImage: PROMPT_SOLVER_IMAGE,
    dockerRunOptionsPreset: 'nvidia_all',
    dockerRunCmd: ['--temperature=0.5', '--top-p=0.8', '--max-tokens=256', ...(streaming ? ['--server'] : ['--seed', String(opts.sample.seed)]), `/volume/${fileUuid}.txt`],
    rawScript: null,
    volume: volume as unknown as SyntheticJobGenerator['volume'],
    volumeInInitialRequest: true,
    outputUpload,
    description: streaming ? 'Streaming LLM prompts synthetic job' : 'LLM prompts synthetic job',
    verifyTime: (s) => {
      if (!streaming) return s <= LLM_JOB_TIMEOUT_SECONDS;
      const p = trigger?.processingSeconds ?? null;
      return p === null ? null : p <= STREAMING_PROCESSING_LIMIT_SECONDS;
    },
    streaming: streaming
      ? {
          seed: opts.sample.seed,
          recordTrigger(outcome) {
            trigger = { ...outcome };
          },
          get processingSeconds() {
            return trigger?.processingSeconds ?? null;
          },
        }
      : undefined,
    async collectResult() {
      for (let attempt = 1; attempt <= LLM_ANSWER_DOWNLOAD_ATTEMPTS; attempt++) {
        try {
          const body = await opts.download(publicUrl);
          answersHash = createHash('sha256').update(body).digest('hex');
          const parsed: unknown = JSON.parse(body.toString('utf8'));
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('answers file is not a JSON object');
          answers = parsed as Record<string, unknown>;
          downloadError = null;
          return;
        } catch (e) {
          downloadError = (e as Error).message;
          if (attempt < LLM_ANSWER_DOWNLOAD_ATTEMPTS) await opts.sleep(200 * 2 ** attempt + Math.random() * 100);
        }
      }
    },
    verifyCorrectness(): CorrectnessVerdict {
      if (streaming) {
        // §5.3.6, in order: the hash the executor returned, that hash against the uploaded file, the answers.
        const responseHash = trigger?.responseHash ?? null;
        if (responseHash === null) return { correct: false, comment: trigger?.failReason ?? 'Response did not contain a valid answer file hash or timed out' };
        if (responseHash !== answersHash) {
          const why = answersHash === null && downloadError ? ` (answers file not downloaded: ${downloadError})` : '';
          return { correct: false, comment: `Response hash and downloaded file hash don't match: response_hash=${pyRepr(responseHash)}, downloaded_answers_hash=${pyRepr(answersHash)}${why}` };
        }
        const wrong = answersVerdict(answers ?? {});
        if (wrong) return wrong;
        return { correct: true, comment: `answers match the returned file hash, processed in ${(trigger?.processingSeconds ?? 0).toFixed(2)} s` };
      }
      if (answers === null) return { correct: false, comment: `could not download the answers file: ${downloadError ?? 'not downloaded'}` };
      const wrong = answersVerdict(answers);
      if (wrong) return wrong;
      return { correct: true, comment: `answers match (sha256 ${answersHash})` };
    },
  };
  return job;
}

/** Python's repr of a str or None, as the reference's comment prints the two hashes. */
function pyRepr(v: string | null): string {
  return v === null ? 'None' : `'${v.slice(0, 200)}'`;
}
