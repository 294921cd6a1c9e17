import type { CreatedDataSource } from '../../src/database/data-source.factory';
import { LlmSamplesService } from '../../src/synthetic-jobs/trusted-miner/llm-samples.service';
import { Prompt } from '../../src/synthetic-jobs/trusted-miner/persistence/prompt.entity';
import { PromptSample } from '../../src/synthetic-jobs/trusted-miner/persistence/prompt-sample.entity';
import { PromptSeries } from '../../src/synthetic-jobs/trusted-miner/persistence/prompt-series.entity';
import { SolveWorkload } from '../../src/synthetic-jobs/trusted-miner/persistence/solve-workload.entity';
import { migratedEmbedded, migratedPostgres } from '../support/postgres';
import { PromptSamplesRepository } from '../../src/synthetic-jobs/trusted-miner/persistence/prompt-samples.repository';

const DAY = 86_400_000;

describe.each([
  ['PostgreSQL', migratedPostgres],
  ['embedded PostgreSQL', migratedEmbedded],
])('LLM samples on %s', (_name, open) => {
  let db: CreatedDataSource;
  let samples: LlmSamplesService;

  beforeAll(async () => {
    db = await open();
    samples = new LlmSamplesService(new PromptSamplesRepository(db.dataSource));
  });
  afterAll(() => db?.close());

  async function sampleIn(workload: SolveWorkload, series: PromptSeries, answers: (string | null)[]): Promise<PromptSample> {
    const s = await db.dataSource.getRepository(PromptSample).save({ seriesId: series.id, workloadId: workload.id, syntheticJobUuid: null, usedAt: null });
    await db.dataSource.getRepository(Prompt).save(answers.map((answer, i) => ({ sampleId: s.id, content: `prompt ${s.id}-${i}`, answer })));
    return s;
  }

  it('hands out only unused samples of answered workloads, marks them used once, counts and evicts them', async () => {
    const ds = db.dataSource;
    const [a, b] = await ds.getRepository(PromptSeries).save([
      { seriesUuid: '11111111-0000-4000-8000-000000000001', s3Url: 'http://s3/prompts/a', generatorVersion: 0 },
      { seriesUuid: '11111111-0000-4000-8000-000000000002', s3Url: 'http://s3/prompts/b', generatorVersion: 0 },
    ]);
    const old = new Date(Date.now() - 3 * DAY);
    const done = await ds.getRepository(SolveWorkload).save({ workloadUuid: '22222222-0000-4000-8000-000000000001', seed: 4294967295, s3Url: 'http://s3/answers/w1', finishedAt: new Date() });
    const open = await ds.getRepository(SolveWorkload).save({ workloadUuid: '22222222-0000-4000-8000-000000000002', seed: 7, s3Url: 'http://s3/answers/w2', finishedAt: null });
    const s1 = await sampleIn(done, a, ['ans-1', 'ans-2']);
    const s2 = await sampleIn(done, b, ['ans-3']);
    await sampleIn(open, a, [null]);

    const unused = await samples.takeUnused(5);
    expect(unused.map((s) => s.sampleId)).toEqual([String(s1.id), String(s2.id)]);
    expect(unused[0]).toEqual({
      sampleId: String(s1.id), seriesUuid: a.seriesUuid, seriesUrl: 'http://s3/prompts/a', workloadUuid: done.workloadUuid, seed: 4294967295,
      prompts: [{ content: `prompt ${s1.id}-0`, answer: 'ans-1' }, { content: `prompt ${s1.id}-1`, answer: 'ans-2' }],
    });
    expect((await samples.takeUnused(1)).map((s) => s.sampleId)).toEqual([String(s1.id)]);
    expect(await samples.counts()).toEqual({ promptSeriesTotalCount: 2, promptSampleUsedCount: 0, promptSampleUnusedAnsweredCount: 2, promptSampleUnusedUnansweredCount: 1 });

    expect(await samples.markUsed([{ sampleId: s1.id, syntheticJobUuid: '33333333-0000-4000-8000-000000000001' }], undefined, old)).toBe(1);
    expect(await samples.markUsed([{ sampleId: s2.id, syntheticJobUuid: '33333333-0000-4000-8000-000000000002' }])).toBe(1);
    expect(await samples.takeUnused(5)).toEqual([]);
    expect(await samples.counts()).toMatchObject({ promptSampleUsedCount: 2, promptSampleUnusedAnsweredCount: 0 });

    // a used sample older than the cutoff goes (with its prompts); the recent one and the series stay
    await ds.query(`UPDATE solve_workload SET created_at = $1`, [old]);
    expect(await samples.evict(new Date(Date.now() - 2 * DAY))).toEqual({ samples: 1, workloads: 0 });
    expect(await ds.getRepository(Prompt).countBy({ sampleId: s1.id })).toBe(0);
    await ds.query(`UPDATE prompt_sample SET used_at = $1 WHERE used_at IS NOT NULL`, [old]);
    await ds.getRepository(PromptSample).delete({ workloadId: open.id });
    expect(await samples.evict(new Date(Date.now() - 2 * DAY))).toEqual({ samples: 1, workloads: 2 });
    expect(await ds.getRepository(PromptSeries).count()).toBe(2);
  });
});
