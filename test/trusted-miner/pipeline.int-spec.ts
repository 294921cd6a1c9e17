import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { fakeAnswer, fakePrompts, solvePromptsFile } from '../../src/devnet/executors/fake-llm';
import type { SimulatedMiner } from '../../src/devnet/miners';
import { S3Peer, uniqueBucketName } from '../../src/devnet/s3-peer/ceph-s3-peer';
import { LlmPipelineService } from '../../src/synthetic-jobs/trusted-miner/llm-pipeline.service';
import { LlmSamplesService } from '../../src/synthetic-jobs/trusted-miner/llm-samples.service';
import { Prompt } from '../../src/synthetic-jobs/trusted-miner/persistence/prompt.entity';
import { PromptSample } from '../../src/synthetic-jobs/trusted-miner/persistence/prompt-sample.entity';
import { PromptSeries } from '../../src/synthetic-jobs/trusted-miner/persistence/prompt-series.entity';
import { SolveWorkload } from '../../src/synthetic-jobs/trusted-miner/persistence/solve-workload.entity';
import { S3Service } from '../../src/s3/s3.service';
import { PipelineApp, startPipelineApp, startTrustedMiner } from './harness';

jest.setTimeout(180_000);

const PIPELINE_ENV = {
  DYNAMIC_PROMPTS_SERIES_IN_A_SINGLE_GENERATION: '4',
  DYNAMIC_NUMBER_OF_PROMPTS_IN_SERIES: '20',
  DYNAMIC_MAX_PROMPT_SERIES: '4',
  DYNAMIC_TARGET_NUMBER_OF_PROMPT_SAMPLES_READY: '3',
  DYNAMIC_NUMBER_OF_PROMPTS_TO_SAMPLE_FROM_SERIES: '2',
  DYNAMIC_NUMBER_OF_PROMPTS_PER_WORKLOAD: '4',
  PROMPT_GENERATION_MODEL: 'mock',
};

describe('cross-validation pipeline: simulated trusted miner, real S3 (Ceph), real PostgreSQL', () => {
  let peer: S3Peer;
  let miner: SimulatedMiner;
  let app: PipelineApp;
  let pipeline: LlmPipelineService;
  let samples: LlmSamplesService;
  const prompts = uniqueBucketName('tm-prompts');
  const answers = uniqueBucketName('tm-answers');

  beforeAll(async () => {
    [peer, miner] = await Promise.all([S3Peer.acquire(), startTrustedMiner()]);
    await peer.createBucket(prompts);
    await peer.createBucket(answers);
    app = await startPipelineApp({
      ...peer.env({ prompts, answers }),
      ...PIPELINE_ENV,
      TRUSTED_MINER_ADDRESS: miner.host,
      TRUSTED_MINER_PORT: String(miner.port),
    });
    pipeline = app.module.get(LlmPipelineService);
    samples = app.module.get(LlmSamplesService);
  });

  afterAll(async () => {
    await app?.close();
    await miner?.stop();
    await peer?.release();
  });

  const keys = async (bucket: string, prefix = '') =>
    ((await peer.client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

  it('generation: the trusted miner writes the series into the prompts bucket and the series become rows with public URLs', async () => {
    const r = await pipeline.generatePrompts();
    expect(r).toEqual({ ran: true, createdSeries: 4 });
    const rows = await app.dataSource.getRepository(PromptSeries).find();
    expect(rows).toHaveLength(4);
    expect((await keys(prompts)).sort()).toEqual(rows.map((s) => s.seriesUuid).sort());
    for (const s of rows) {
      expect(s.s3Url).toBe(`${peer.endpoint}/${prompts}/${s.seriesUuid}`);
      expect(s.generatorVersion).toBe(0);
      const text = await (await fetch(s.s3Url)).text();
      expect(text.trimEnd().split('\n')).toEqual(fakePrompts(s.seriesUuid, 20));
    }
    expect((await app.events('LLM_PROMPT_GENERATION')).map((e) => e.subtype)).toEqual(['PROMPT_GENERATION_STARTED', 'SUCCESS']);
    expect(await pipeline.generatePrompts()).toMatchObject({ ran: false, reason: 'there are already 4 prompt series (maximum 4)' });
  });

  it('sampling: workloads of sampled prompts are uploaded to the answers bucket; the unused-sample target caps them', async () => {
    const r = await pipeline.samplePrompts();
    expect(r).toEqual({ ran: true, newWorkloads: 2, newSamples: 4 });
    const workloads = await app.dataSource.getRepository(SolveWorkload).find({ order: { id: 'ASC' } });
    expect(workloads).toHaveLength(2);
    expect(new Set(workloads.map((w) => w.seed)).size).toBe(1);
    const series = new Map((await app.dataSource.getRepository(PromptSeries).find()).map((s) => [s.id, s]));
    for (const w of workloads) {
      expect(w.finishedAt).toBeNull();
      const file = await (await fetch(w.s3Url)).text();
      const sampleRows = await app.dataSource.getRepository(PromptSample).find({ where: { workloadId: w.id }, order: { id: 'ASC' } });
      expect(sampleRows).toHaveLength(2);
      const contents: string[] = [];
      for (const s of sampleRows) {
        const p = await app.dataSource.getRepository(Prompt).find({ where: { sampleId: s.id }, order: { id: 'ASC' } });
        expect(p).toHaveLength(2);
        for (const prompt of p) expect(fakePrompts(series.get(s.seriesId)!.seriesUuid, 20)).toContain(prompt.content);
        contents.push(...p.map((x) => x.content));
      }
      expect(file).toBe(contents.join('\n'));
    }
    // 4 unused samples >= target 3: nothing more to do
    expect(await pipeline.samplePrompts()).toMatchObject({ ran: false, reason: 'enough unused samples' });
    expect((await app.events('LLM_PROMPT_SAMPLING')).map((e) => e.subtype)).toEqual(['NEW_WORKLOADS_CREATED', 'PROMPT_SAMPLING_SKIPPED']);
    // generation waits while workloads are unanswered
    expect(await pipeline.generatePrompts()).toMatchObject({ ran: false, reason: 'there are unanswered workloads; answering has priority' });
    expect(await samples.takeUnused(10)).toEqual([]);
  });

  it('answering: the trusted miner answers each workload into the answers bucket; answers are stored and samples become usable', async () => {
    const r = await pipeline.answerPrompts();
    expect(r).toEqual({ processed: 2, succeeded: 2, failed: 0 });
    expect(await keys(answers, 'solved/')).toHaveLength(2);
    const workloads = await app.dataSource.getRepository(SolveWorkload).find();
    expect(workloads.every((w) => w.finishedAt instanceof Date)).toBe(true);
    const seed = workloads[0].seed;
    const stored = await app.dataSource.getRepository(Prompt).find();
    expect(stored).toHaveLength(8);
    for (const p of stored) expect(p.answer).toBe(fakeAnswer(p.content, seed));
    expect((await app.events('LLM_PROMPT_ANSWERING')).map((e) => e.subtype)).toEqual(['UNPROCESSED_WORKLOADS', 'SUCCESS']);

    const usable = await samples.takeUnused(10);
    expect(usable).toHaveLength(4);
    for (const s of usable) {
      expect(s.seed).toBe(seed);
      expect(s.prompts).toHaveLength(2);
      // what an honest miner computes from the whole series file with the workload seed agrees with the trusted miner
      const honest = JSON.parse(solvePromptsFile(await (await fetch(s.seriesUrl)).text(), s.seed)) as Record<string, string>;
      for (const p of s.prompts) expect(honest[p.content]).toBe(p.answer);
    }
    expect(await samples.counts()).toEqual({ promptSeriesTotalCount: 4, promptSampleUsedCount: 0, promptSampleUnusedAnsweredCount: 4, promptSampleUnusedUnansweredCount: 0 });
    expect(await samples.markUsed([{ sampleId: usable[0].sampleId, syntheticJobUuid: '6b8f3c1e-1111-4a2b-9c3d-000000000001' }])).toBe(1);
    expect(await samples.markUsed([{ sampleId: usable[0].sampleId, syntheticJobUuid: '6b8f3c1e-1111-4a2b-9c3d-000000000002' }])).toBe(0);
    expect((await samples.takeUnused(10)).map((s) => s.sampleId)).not.toContain(usable[0].sampleId);
    expect(await samples.counts()).toMatchObject({ promptSampleUsedCount: 1, promptSampleUnusedAnsweredCount: 3 });
  });
});

describe('cross-validation pipeline: a trusted miner that fails', () => {
  let peer: S3Peer;
  let miner: SimulatedMiner;
  let app: PipelineApp;
  const prompts = uniqueBucketName('tmf-prompts');
  const answers = uniqueBucketName('tmf-answers');

  beforeAll(async () => {
    [peer, miner] = await Promise.all([S3Peer.acquire(), startTrustedMiner({ kind: 'wrong-answer' })]);
    await peer.createBucket(prompts);
    await peer.createBucket(answers);
    app = await startPipelineApp({ ...peer.env({ prompts, answers }), ...PIPELINE_ENV, TRUSTED_MINER_ADDRESS: miner.host, TRUSTED_MINER_PORT: String(miner.port) });
  });

  afterAll(async () => {
    await app?.close();
    await miner?.stop();
    await peer?.release();
  });

  it('a corrupted answers file leaves the workload unfinished with an event; no answers are stored', async () => {
    const ds = app.dataSource;
    const series = await ds.getRepository(PromptSeries).save({ seriesUuid: '0f3a2b1c-0000-4000-8000-000000000001', s3Url: 'unused', generatorVersion: 0 });
    // the workload file the trusted miner downloads, uploaded the way sampling does
    const s3 = app.module.get(S3Service);
    const workloadUuid = '0f3a2b1c-0000-4000-8000-0000000000aa';
    await s3.uploadText(await s3.uploadUrl(answers, workloadUuid), 'first prompt\nsecond prompt');
    const w = await ds.getRepository(SolveWorkload).save({ workloadUuid, seed: 42, s3Url: s3.publicUrl(answers, workloadUuid), finishedAt: null });
    const sample = await ds.getRepository(PromptSample).save({ seriesId: series.id, workloadId: w.id, syntheticJobUuid: null, usedAt: null });
    await ds.getRepository(Prompt).save([{ sampleId: sample.id, content: 'first prompt', answer: null }, { sampleId: sample.id, content: 'second prompt', answer: null }]);

    expect(await app.module.get(LlmPipelineService).answerPrompts()).toEqual({ processed: 1, succeeded: 0, failed: 1 });
    expect((await ds.getRepository(SolveWorkload).findOneByOrFail({ id: w.id })).finishedAt).toBeNull();
    expect((await ds.getRepository(Prompt).find()).every((p) => p.answer === null)).toBe(true);
    const events = await app.events('LLM_PROMPT_ANSWERING');
    expect(events.map((e) => e.subtype)).toEqual(['UNPROCESSED_WORKLOADS', 'ERROR_DOWNLOADING_FROM_S3', 'SUCCESS']);
    expect(events[1].longDescription).toContain('not a JSON object');
  });

  it('generation on a silent or busy trusted miner: no series; silence is a FAILURE event, busy is silent', async () => {
    const silent = await startTrustedMiner({ kind: 'silent', after: 'initial-request' });
    const busy = await startTrustedMiner({ kind: 'decline', excuse: 'none' });
    const base = { ...peer.env({ prompts, answers }), ...PIPELINE_ENV, DYNAMIC_EXECUTOR_RESERVATION_TIME_LIMIT: '1' };
    const onSilent = await startPipelineApp({ ...base, TRUSTED_MINER_ADDRESS: silent.host, TRUSTED_MINER_PORT: String(silent.port) });
    const onBusy = await startPipelineApp({ ...base, TRUSTED_MINER_ADDRESS: busy.host, TRUSTED_MINER_PORT: String(busy.port) });
    try {
      expect(await onSilent.module.get(LlmPipelineService).generatePrompts()).toMatchObject({ ran: true, createdSeries: 0, reason: 'timed out waiting for the accept response' });
      expect(await onSilent.dataSource.getRepository(PromptSeries).count()).toBe(0);
      const failure = (await onSilent.events('LLM_PROMPT_GENERATION')).find((e) => e.subtype === 'FAILURE');
      expect(failure?.longDescription).toBe('Trusted miner failed to run prompt generation job: timed out waiting for the accept response');

      expect(await onBusy.module.get(LlmPipelineService).generatePrompts()).toMatchObject({ ran: true, createdSeries: 0, reason: 'trusted miner busy' });
      expect(await onBusy.dataSource.getRepository(PromptSeries).count()).toBe(0);
      expect((await onBusy.events('LLM_PROMPT_GENERATION')).map((e) => e.subtype)).toEqual(['PROMPT_GENERATION_STARTED']);
    } finally {
      await Promise.all([onSilent.close(), onBusy.close()]);
      await Promise.all([silent.stop(), busy.stop()]);
    }
  });

  it('without TRUSTED_MINER_ADDRESS the tasks are skipped with one TRUSTED_MINER_NOT_CONFIGURED event per task per day', async () => {
    const other = await startPipelineApp({ ...peer.env({ prompts, answers }), ...PIPELINE_ENV });
    try {
      const p = other.module.get(LlmPipelineService);
      expect(await p.generatePrompts()).toMatchObject({ ran: false, reason: 'trusted miner not configured' });
      expect(await p.generatePrompts()).toMatchObject({ ran: false });
      expect(await p.answerPrompts()).toEqual({ processed: 0, succeeded: 0, failed: 0 });
      expect((await other.events()).map((e) => `${e.type}/${e.subtype}`)).toEqual([
        'LLM_PROMPT_GENERATION/TRUSTED_MINER_NOT_CONFIGURED',
        'LLM_PROMPT_ANSWERING/TRUSTED_MINER_NOT_CONFIGURED',
      ]);
    } finally {
      await other.close();
    }
  });
});
