import type { V0JobRequest } from '../../protocol';
import type { SimulatedJobOutput, SimulatedJobRunner } from '../miners/job-runner';
import { fakePromptsFile } from './fake-llm';

/** Plays `backenddevelopersltd/compute-horde-prompt-gen-<model>:*` (spec §6.3) with the fake model. */
export const PROMPT_GEN_IMAGE_PATTERN = /^(docker\.io\/)?backenddevelopersltd\/compute-horde-prompt-gen-[a-z0-9]+(:.*)?$/;

/** The value following `flag` in an argv-style list, or undefined. */
export function argValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i >= 0 && i + 1 < args.length) return args[i + 1];
  const inline = args.find((a) => a.startsWith(`${flag}=`));
  return inline?.slice(flag.length + 1);
}

/**
 * Writes `prompts_<uuid>.txt` with `--number_of_prompts_per_batch` prompts for every uuid of
 * `--uuids`, into /output; the executor then uploads them where the job's output_upload says.
 */
export class LlmPromptGenRunner implements SimulatedJobRunner {
  readonly name = 'llm-prompt-gen';

  canRun(job: V0JobRequest): boolean {
    return PROMPT_GEN_IMAGE_PATTERN.test(job.docker_image);
  }

  async run(job: V0JobRequest): Promise<SimulatedJobOutput> {
    const uuids = (argValue(job.docker_run_cmd, '--uuids') ?? '').split(',').filter((u) => u.length > 0);
    const n = Number(argValue(job.docker_run_cmd, '--number_of_prompts_per_batch'));
    if (uuids.length === 0 || !Number.isInteger(n) || n <= 0) {
      return { stdout: '', stderr: 'usage: --uuids U1,U2 --number_of_prompts_per_batch N', exitCode: 2 };
    }
    const outputFiles: Record<string, string> = {};
    for (const uuid of uuids) outputFiles[`prompts_${uuid}.txt`] = fakePromptsFile(uuid, n);
    return { stdout: `generated ${uuids.length} series of ${n} prompts\n`, outputFiles };
  }
}
