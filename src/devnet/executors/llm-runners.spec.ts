import { createHash } from 'node:crypto';
import { buildMessage, V0JobRequest } from '../../protocol';
import { fakeAnswer, fakePrompts, solvePromptsFile } from './fake-llm';
import { LlmPromptGenRunner } from './llm-prompt-gen.runner';
import { LlmPromptSolverRunner } from './llm-prompt-solver.runner';
import { promptAnsweringJob, promptGenerationJob } from '../../synthetic-jobs/trusted-miner/llm-jobs';

function request(job: { jobUuid: string; executorClass: V0JobRequest['executor_class']; dockerImage: string; dockerRunCmd: string[] }): V0JobRequest {
  return buildMessage(V0JobRequest, {
    job_uuid: job.jobUuid, executor_class: job.executorClass, docker_image: job.dockerImage, raw_script: null, docker_run_options_preset: 'nvidia_all',
    docker_run_cmd: job.dockerRunCmd, env: {}, volume: null, output_upload: null, artifacts_dir: null,
  });
}

describe('fake LLM', () => {
  it('answers depend on the (stripped) prompt and the seed only', () => {
    expect(fakeAnswer('What is 2+2?', 7)).toBe(fakeAnswer('  What is 2+2? ', 7n));
    expect(fakeAnswer('What is 2+2?', 7)).not.toBe(fakeAnswer('What is 2+2?', 8));
    expect(fakeAnswer('What is 2+2?', 7)).not.toBe(fakeAnswer('What is 3+3?', 7));
  });

  it('writes the solver file with sorted keys and 2-space indentation, integer-like prompts included', () => {
    const out = solvePromptsFile('b prompt\n\n  a prompt  \n10\n', 1);
    expect(out).toBe(`{\n  "10": ${JSON.stringify(fakeAnswer('10', 1))},\n  "a prompt": ${JSON.stringify(fakeAnswer('a prompt', 1))},\n  "b prompt": ${JSON.stringify(fakeAnswer('b prompt', 1))}\n}`);
  });

  it('series prompts are distinct single lines', () => {
    const p = fakePrompts('3f1c2b9e-0d4a-4c3e-9a51-7e2d8f6b1c20', 240);
    expect(new Set(p).size).toBe(240);
    expect(p.every((l) => !l.includes('\n') && l.trim() === l && l.length > 0)).toBe(true);
  });
});

describe('simulated LLM images', () => {
  it('prompt-gen writes prompts_<uuid>.txt for every uuid of the real job definition', async () => {
    const job = promptGenerationJob({ jobUuid: 'j', model: 'phi3', promptsPerSeries: 5, series: [{ uuid: 'u1', uploadUrl: 'x' }, { uuid: 'u2', uploadUrl: 'y' }] });
    const runner = new LlmPromptGenRunner();
    const req = request(job);
    expect(runner.canRun(req)).toBe(true);
    const out = await runner.run(req);
    expect(Object.keys(out.outputFiles ?? {})).toEqual(['prompts_u1.txt', 'prompts_u2.txt']);
    expect(String(out.outputFiles!['prompts_u1.txt']).trimEnd().split('\n')).toEqual(fakePrompts('u1', 5));
  });

  it('the solver reads the file the job names from its volume and writes <file>.json; it refuses server mode', async () => {
    const job = promptAnsweringJob({ jobUuid: 'j', fileUuid: 'f1', workloadUrl: 'x', seed: 99, answersUploadUrl: 'y' });
    const runner = new LlmPromptSolverRunner();
    const req = request(job);
    expect(runner.canRun(req)).toBe(true);
    const out = await runner.run(req, new Map([['f1.txt', Buffer.from('q1\nq2')]]));
    expect(out.outputFiles).toEqual({ 'f1.json': solvePromptsFile('q1\nq2', 99) });
    const missing = await runner.run(req, new Map());
    expect(missing.exitCode).toBe(1);
    expect(runner.canRun(request({ ...job, dockerRunCmd: ['--server', '/volume/f1.txt'] }))).toBe(false);
  });

  it('in server mode (streaming) the solver answers /execute-job with the sha256 of the exact file it writes', async () => {
    const runner = new LlmPromptSolverRunner();
    const req = request({ jobUuid: 'j', executorClass: 'always_on.llm.a6000', dockerImage: 'docker.io/backenddevelopersltd/compute-horde-prompt-solver:v0-latest', dockerRunCmd: ['--temperature=0.5', '--server', '/volume/f1.txt'] });
    expect(runner.canServe(req)).toBe(true);
    const volume = new Map([['f1.txt', Buffer.from('q1\nq2')]]);
    const out = await runner.execute(req, volume, { seed: 99 });
    const file = Buffer.from(solvePromptsFile('q1\nq2', 99));
    expect(out.outputFiles).toEqual({ 'f1.json': file });
    expect(out.response).toEqual({ '/output/f1.json': createHash('sha256').update(file).digest('hex') });
    await expect(runner.execute(req, volume, { seed: 'x' })).rejects.toThrow('body must be {"seed": <non-negative integer>}');
  });
});
