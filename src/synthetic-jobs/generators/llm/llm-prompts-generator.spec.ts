import { createHash } from 'node:crypto';
import { createLlmPromptsJob } from './llm-prompts-generator';

// synthetic-jobs.md §13.8 (answer comparison) and §5.3.1 (job shape).
describe('LLM prompts job', () => {
  const expected = Array.from({ length: 10 }, (_, i) => ({ content: String(i), answer: String(i) }));
  const make = async (body: () => Buffer, streaming = false) => {
    let calls = 0;
    const job = await createLlmPromptsJob({
      executorClass: 'always_on.llm.a6000',
      streaming,
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

  describe('streaming variant (§5.3.5-5.3.6)', () => {
    const good = answersFile(Array.from({ length: 240 }, (_, i) => [String(i), String(i)]));
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const verdict = (job: Awaited<ReturnType<typeof make>>['job']) => job.verifyCorrectness({ stdout: '', rawMessage: '' });

    it('runs the solver as a server and names itself streaming', async () => {
      const { job } = await make(() => good, true);
      expect(job.dockerRunCmd).toEqual(['--temperature=0.5', '--top-p=0.8', '--max-tokens=256', '--server', `/volume/${job.fileUuid}.txt`]);
      expect(job.description).toBe('Streaming LLM prompts synthetic job');
      expect(job.streaming?.seed).toBe(1234);
      const plain = await make(() => good);
      expect(plain.job.streaming).toBeUndefined();
      expect(plain.job.description).toBe('LLM prompts synthetic job');
    });

    it('time is judged on the trigger processing time only: none → no verdict, ≤ 30 s passes, more fails', async () => {
      const { job } = await make(() => good, true);
      expect(job.verifyTime(1)).toBeNull();
      job.streaming?.recordTrigger({ processingSeconds: 30, responseHash: null, failReason: 'x' });
      expect(job.verifyTime(500)).toBe(true);
      expect(job.streaming?.processingSeconds).toBe(30);
      job.streaming?.recordTrigger({ processingSeconds: 30.01, responseHash: null, failReason: 'x' });
      expect(job.verifyTime(1)).toBe(false);
    });

    it('1. no response hash: the trigger failure, or the reference sentence', async () => {
      const { job } = await make(() => good, true);
      await job.collectResult?.();
      expect(verdict(job)).toEqual({ correct: false, comment: 'Response did not contain a valid answer file hash or timed out' });
      job.streaming?.recordTrigger({ processingSeconds: null, responseHash: null, failReason: 'Failed to execute streaming job u on https://1.2.3.4:1/execute-job: HTTP 500' });
      expect(verdict(job)).toEqual({ correct: false, comment: 'Failed to execute streaming job u on https://1.2.3.4:1/execute-job: HTTP 500' });
    });

    it('2. the returned hash must be the hash of the uploaded file (also when the download failed)', async () => {
      const { job } = await make(() => good, true);
      job.streaming?.recordTrigger({ processingSeconds: 2, responseHash: 'f'.repeat(64), failReason: null });
      await job.collectResult?.();
      expect(verdict(job)).toEqual({ correct: false, comment: `Response hash and downloaded file hash don't match: response_hash='${'f'.repeat(64)}', downloaded_answers_hash='${sha(good)}'` });
      const missing = await make(() => {
        throw new Error('HTTP 404');
      }, true);
      missing.job.streaming?.recordTrigger({ processingSeconds: 2, responseHash: sha(good), failReason: null });
      await missing.job.collectResult?.();
      expect(verdict(missing.job).comment).toBe(`Response hash and downloaded file hash don't match: response_hash='${sha(good)}', downloaded_answers_hash=None (answers file not downloaded: HTTP 404)`);
    });

    it('3. then the answers: missing or wrong fail; 4. all right passes', async () => {
      const wrongFile = answersFile(Array.from({ length: 240 }, (_, i) => [String(i), 'wrong']));
      const wrong = await make(() => wrongFile, true);
      wrong.job.streaming?.recordTrigger({ processingSeconds: 2, responseHash: sha(wrongFile), failReason: null });
      await wrong.job.collectResult?.();
      expect(verdict(wrong.job)).toEqual({ correct: false, comment: 'results does not match expected answers' });
      const partialFile = answersFile([['0', '0']]);
      const partial = await make(() => partialFile, true);
      partial.job.streaming?.recordTrigger({ processingSeconds: 2, responseHash: sha(partialFile), failReason: null });
      await partial.job.collectResult?.();
      expect(verdict(partial.job)).toEqual({ correct: false, comment: 'result does not contain all answers' });
      const right = await make(() => good, true);
      right.job.streaming?.recordTrigger({ processingSeconds: 2.5, responseHash: sha(good), failReason: null });
      await right.job.collectResult?.();
      expect(verdict(right.job)).toEqual({ correct: true, comment: 'answers match the returned file hash, processed in 2.50 s' });
    });
  });
});
