import type { V0JobRequest } from '../../protocol';
import { createHash } from 'node:crypto';
import type { SimulatedJobOutput, SimulatedJobRunner, StreamingExecution, VolumeContents } from '../miners/job-runner';
import { argValue } from './llm-prompt-gen.runner';
import { solvePromptsFile } from './fake-llm';

/** Plays `backenddevelopersltd/compute-horde-prompt-solver:*` (spec §5.3.2) with the fake model. */
export const PROMPT_SOLVER_IMAGE_PATTERN = /^(docker\.io\/)?backenddevelopersltd\/compute-horde-prompt-solver(:.*)?$/;

/**
 * Non-streaming solver run (`--seed N /volume/<file>.txt`): reads the prompts file from the job's
 * volume (downloaded by the executor from the URL the job names) and writes `/output/<stem>.json`.
 * Server mode (`--server /volume/<file>.txt`, streaming jobs): POST /execute-job {"seed": N} writes the
 * same file and answers {"/output/<stem>.json": "<sha256 hex of its bytes>"} (spec §5.3.2).
 */
export class LlmPromptSolverRunner implements SimulatedJobRunner {
  readonly name = 'llm-prompt-solver';

  canRun(job: V0JobRequest): boolean {
    return PROMPT_SOLVER_IMAGE_PATTERN.test(job.docker_image) && !job.docker_run_cmd.includes('--server');
  }

  async run(job: V0JobRequest, volume: VolumeContents): Promise<SimulatedJobOutput> {
    const seedText = argValue(job.docker_run_cmd, '--seed');
    const seed = seedText !== undefined && /^\d+$/.test(seedText) ? BigInt(seedText) : undefined;
    const input = job.docker_run_cmd[job.docker_run_cmd.length - 1] ?? '';
    if (seed === undefined || !input.startsWith('/volume/')) {
      return { stdout: '', stderr: 'usage: [sampling options] --seed N /volume/<prompts file>', exitCode: 2 };
    }
    const path = input.slice('/volume/'.length);
    const prompts = volume.get(path);
    if (!prompts) return { stdout: '', stderr: `input file ${input} not found`, exitCode: 1 };
    const stem = path.split('/').pop()!.replace(/\.[^.]*$/, '');
    return { stdout: `answered prompts of ${input}\n`, outputFiles: { [`${stem}.json`]: solvePromptsFile(prompts.toString('utf8'), seed) } };
  }

  canServe(job: V0JobRequest): boolean {
    return PROMPT_SOLVER_IMAGE_PATTERN.test(job.docker_image) && job.docker_run_cmd.includes('--server');
  }

  async execute(job: V0JobRequest, volume: VolumeContents, body: unknown): Promise<StreamingExecution> {
    const seed = (body as { seed?: unknown } | null)?.seed;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new Error('body must be {"seed": <non-negative integer>}');
    const input = job.docker_run_cmd[job.docker_run_cmd.length - 1] ?? '';
    const path = input.startsWith('/volume/') ? input.slice('/volume/'.length) : '';
    const prompts = volume.get(path);
    if (!prompts) throw new Error(`input file ${input} not found`);
    const stem = path.split('/').pop()!.replace(/\.[^.]*$/, '');
    const answers = Buffer.from(solvePromptsFile(prompts.toString('utf8'), seed), 'utf8');
    return {
      stdout: `served prompts of ${input}\n`,
      outputFiles: { [`${stem}.json`]: answers },
      response: { [`/output/${stem}.json`]: createHash('sha256').update(answers).digest('hex') },
    };
  }
}
