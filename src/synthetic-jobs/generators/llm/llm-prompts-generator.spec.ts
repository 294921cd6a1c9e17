import { createLlmPromptsJob } from './llm-prompts-generator';

// synthetic-jobs.md §13.8 (answer comparison) and §5.3.1 (job shape).
describe('LLM prompts job', () => {
  const expected = Array.from({ length: 10 }, (_, i) => ({ content: String(i), answer: String(i) }));
  const make = async (body: () => Buffer) => {
    let calls = 0;
    const job = await createLlmPromptsJob({
      executorClass: 'always_on.llm.a6000',
      sample: { seriesUrl: 'https://s3.example/prompts/series-1', seed: 1234, prompts: expected },
      urlsFor: async (f) => ({ uploadUrl: `https://s3.example/answers/solved/${f}.json?sig`, publicUrl: `https://s3.example/answers/solved/${f}.json` }),
      download: async () => {
        calls++;
        return body();
      },
      sleep: async () => undefined,
    });
    return { job, calls: () => calls };
  };
  const answersFile = (entries: [string, string][]) => Buffer.from(JSON.stringify(Object.fromEntries(entries)));

  it('has the reference image, arguments, volume and upload', async () => {
    const { job } = await make(() => Buffer.from('{}'));
    expect(job.baseDockerImage).toBe('docker.io/backenddevelopersltd/compute-horde-prompt-solver:v0-latest');
    expect(job.dockerRunCmd).toEqual(['--temperature=0.5', '--top-p=0.8', '--max-tokens=256', '--seed', '1234', `/volume/${job.fileUuid}.txt`]);
    expect(job.volume).toEqual({ volume_type: 'multi_volume', volumes: [{ volume_type: 'single_file', url: 'https://s3.example/prompts/series-1', relative_path: `${job.fileUuid}.txt` }] });
    expect(job.volumeInInitialRequest).toBe(true);
    expect(job.outputUpload?.uploads[0]).toMatchObject({ output_upload_type: 'single_file_put', relative_path: `${job.fileUuid}.json` });
    expect(job.timeoutSeconds).toBe(150);
  });

  it('all 240 answers present and right: correct', async () => {
    const { job } = await make(() => answersFile(Array.from({ length: 240 }, (_, i) => [String(i), String(i)])));
    await job.collectResult?.();
    expect(job.verifyCorrectness({ stdout: '', rawMessage: '' }).correct).toBe(true);
  });

  it('keys 9..248 (missing 0-8): incorrect', async () => {
    const { job } = await make(() => answersFile(Array.from({ length: 240 }, (_, i) => [String(i + 9), String(i + 9)])));
    await job.collectResult?.();
    expect(job.verifyCorrectness({ stdout: '', rawMessage: '' })).toEqual({ correct: false, comment: 'result does not contain all answers' });
  });

  it('all values "wrong": incorrect', async () => {
    const { job } = await make(() => answersFile(Array.from({ length: 240 }, (_, i) => [String(i), 'wrong'])));
    await job.collectResult?.();
    expect(job.verifyCorrectness({ stdout: '', rawMessage: '' })).toEqual({ correct: false, comment: 'results does not match expected answers' });
  });

  it('before downloading: incorrect; a permanent download failure is tried 5 times', async () => {
    const { job, calls } = await make(() => {
      throw new Error('HTTP 404');
    });
    expect(job.verifyCorrectness({ stdout: '', rawMessage: '' }).correct).toBe(false);
    await job.collectResult?.();
    expect(calls()).toBe(5);
    expect(job.verifyCorrectness({ stdout: '', rawMessage: '' }).comment).toContain('HTTP 404');
  });
});
