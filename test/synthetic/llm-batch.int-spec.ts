import { randomUUID } from 'node:crypto';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startSimulatedHorde, type SimulatedHorde } from '../../src/devnet/miners';
import { LlmPromptSolverRunner } from '../../src/devnet/executors/llm-prompt-solver.runner';
import { fakeAnswer, fakePrompts, fakePromptsFile } from '../../src/devnet/executors/fake-llm';
import { S3Peer, uniqueBucketName } from '../../src/devnet/s3-peer/ceph-s3-peer';
import { SyntheticJob } from '../../src/synthetic-jobs/persistence/synthetic-job.entity';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import { migratedPostgres } from '../support/postgres';
import { registerHorde, syntheticServices } from './support';

jest.setTimeout(180_000);

/**
 * LLM-class synthetic jobs with prompt samples from the trusted-miner tables, a real S3 server
 * (Ceph RGW), and simulated executors running the prompt solver's fake model.
 */
describe('synthetic LLM jobs', () => {
  let peer: S3Peer;
  let horde: SimulatedHorde;
  let db: Awaited<ReturnType<typeof migratedPostgres>>;
  const buckets = { prompts: uniqueBucketName('prompts'), answers: uniqueBucketName('answers') };
  const seed = 424242;
  const names = ['honest', 'wrong'];

  beforeAll(async () => {
    await cryptoWaitReady();
    [peer, db] = await Promise.all([S3Peer.acquire(), migratedPostgres()]);
    await peer.createBucket(buckets.prompts);
    await peer.createBucket(buckets.answers);
    horde = await startSimulatedHorde({
      miners: [
        { executors: [{ executorClass: 'always_on.llm.a6000' as const, behaviour: { kind: 'honest' } }] },
        { executors: [{ executorClass: 'always_on.llm.a6000' as const, behaviour: { kind: 'wrong-answer' } }] },
      ],
      defaults: { runners: [new LlmPromptSolverRunner()] },
    });
    await registerHorde(db.dataSource, horde);
  });

  afterAll(async () => {
    await horde?.stop();
    await db?.close();
    await peer?.release();
  });

  const jobsByName = async () => {
    const rows = await db.dataSource.getRepository(SyntheticJob).find({ relations: { miner: true } });
    return new Map(rows.map((r) => [names[horde.miners.findIndex((m) => m.hotkey === r.miner.hotkey)], r]));
  };

  it('without answered prompt samples, LLM executors get no job and the reason is recorded', async () => {
    const s = syntheticServices(db.dataSource, peer.env(buckets), undefined, true);
    const batch = await s.runner.createBatch(1000, { shouldBeScored: false });
    const report = await s.runner.runBatch(batch.id);
    expect(report.jobs).toBe(0);
    expect(report.rows.map((r) => Object.keys(r.reasons)[0])).toEqual(['skipped 1: not enough prompt samples: 0 ready, 2 needed', 'skipped 1: not enough prompt samples: 0 ready, 2 needed']);
    const events = await db.dataSource.getRepository(SystemEvent).find();
    expect(events.filter((e) => e.subtype === 'INSUFFICIENT_PROMPTS')).toHaveLength(1);
    expect(await db.dataSource.getRepository(SyntheticJob).count()).toBe(0);
  });

  it('with samples: the honest miner completes, the wrong one fails, samples are marked used', async () => {
    const s = syntheticServices(db.dataSource, peer.env(buckets), undefined, true);
    const s3 = s.s3 as NonNullable<typeof s.s3>;
    // Two prompt series in S3 and one finished workload sampling one prompt of each, as the pipeline makes them.
    const [w] = (await db.dataSource.query(`INSERT INTO solve_workload (workload_uuid, seed, s3_url, finished_at) VALUES ($1, $2, 'https://unused', now()) RETURNING id`, [randomUUID(), seed])) as { id: string }[];
    for (let i = 0; i < 2; i++) {
      const seriesUuid = randomUUID();
      await s3.uploadText(await s3.uploadUrl(s3.promptsBucket, seriesUuid), fakePromptsFile(seriesUuid, 20));
      const [series] = (await db.dataSource.query(`INSERT INTO prompt_series (series_uuid, s3_url, generator_version) VALUES ($1, $2, 0) RETURNING id`, [seriesUuid, s3.publicUrl(s3.promptsBucket, seriesUuid)])) as { id: string }[];
      const [sample] = (await db.dataSource.query(`INSERT INTO prompt_sample (series_id, workload_id) VALUES ($1, $2) RETURNING id`, [series.id, w.id])) as { id: string }[];
      const prompt = fakePrompts(seriesUuid, 20)[7];
      await db.dataSource.query(`INSERT INTO prompt (sample_id, content, answer) VALUES ($1, $2, $3)`, [sample.id, prompt, fakeAnswer(prompt, seed)]);
    }
    const batch = await s.runner.createBatch(1001, { shouldBeScored: false });
    const report = await s.runner.runBatch(batch.id);
    expect(report.jobs).toBe(2);
    const jobs = await jobsByName();
    expect(jobs.get('honest')).toMatchObject({ status: 'COMPLETED', score: 1, executorClass: 'always_on.llm.a6000', jobDescription: 'LLM prompts synthetic job' });
    expect(jobs.get('wrong')).toMatchObject({ status: 'FAILED', score: 0, failureKind: 'WRONG_ANSWER' });
    const used = (await db.dataSource.query(`SELECT synthetic_job_uuid FROM prompt_sample WHERE synthetic_job_uuid IS NOT NULL`)) as { synthetic_job_uuid: string }[];
    expect(used.map((u) => u.synthetic_job_uuid).sort()).toEqual([...jobs.values()].map((j) => j.jobUuid).sort());
  });
});
