import { SyntheticJob } from '../../src/synthetic-jobs/persistence/synthetic-job.entity';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import { syntheticServices } from './support';
import { seedAnsweredSamples, startLlmBatchFixture, type LlmBatchFixture } from './llm-fixture';

jest.setTimeout(180_000);

/**
 * LLM-class synthetic jobs with prompt samples from the trusted-miner tables, a real S3 server
 * (Ceph RGW), and simulated executors running the prompt solver's fake model.
 */
describe('synthetic LLM jobs', () => {
  let f: LlmBatchFixture;
  const seed = 424242;
  const names = ['honest', 'wrong'];

  beforeAll(async () => {
    f = await startLlmBatchFixture([{ kind: 'honest' }, { kind: 'wrong-answer' }]);
  });

  afterAll(async () => {
    await f?.stop();
  });

  const jobsByName = async () => {
    const rows = await f.db.dataSource.getRepository(SyntheticJob).find({ relations: { miner: true } });
    return new Map(rows.map((r) => [names[f.horde.miners.findIndex((m) => m.hotkey === r.miner.hotkey)], r]));
  };

  it('without answered prompt samples, LLM executors get no job and the reason is recorded', async () => {
    const s = syntheticServices(f.db.dataSource, f.peer.env(f.buckets), undefined, true);
    const batch = await s.runner.createBatch(1000, { shouldBeScored: false });
    const report = await s.runner.runBatch(batch.id);
    expect(report.jobs).toBe(0);
    expect(report.rows.map((r) => Object.keys(r.reasons)[0])).toEqual(['skipped 1: not enough prompt samples: 0 ready, 2 needed', 'skipped 1: not enough prompt samples: 0 ready, 2 needed']);
    const events = await f.db.dataSource.getRepository(SystemEvent).find();
    expect(events.filter((e) => e.subtype === 'INSUFFICIENT_PROMPTS')).toHaveLength(1);
    expect(await f.db.dataSource.getRepository(SyntheticJob).count()).toBe(0);
  });

  it('with samples: the honest miner completes, the wrong one fails, samples are marked used', async () => {
    const s = syntheticServices(f.db.dataSource, f.peer.env(f.buckets), undefined, true);
    // Two prompt series in S3 and one finished workload sampling one prompt of each, as the pipeline makes them.
    await seedAnsweredSamples(f.db.dataSource, s.s3 as NonNullable<typeof s.s3>, { count: 2, seed, promptIndex: 7 });
    const batch = await s.runner.createBatch(1001, { shouldBeScored: false });
    const report = await s.runner.runBatch(batch.id);
    expect(report.jobs).toBe(2);
    const jobs = await jobsByName();
    expect(jobs.get('honest')).toMatchObject({ status: 'COMPLETED', score: 1, executorClass: 'always_on.llm.a6000', jobDescription: 'LLM prompts synthetic job' });
    expect(jobs.get('wrong')).toMatchObject({ status: 'FAILED', score: 0, failureKind: 'WRONG_ANSWER' });
    const used = (await f.db.dataSource.query(`SELECT synthetic_job_uuid FROM prompt_sample WHERE synthetic_job_uuid IS NOT NULL`)) as { synthetic_job_uuid: string }[];
    expect(used.map((u) => u.synthetic_job_uuid).sort()).toEqual([...jobs.values()].map((j) => j.jobUuid).sort());
  });
});
