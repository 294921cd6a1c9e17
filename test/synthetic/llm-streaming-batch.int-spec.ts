import { SyntheticJob } from '../../src/synthetic-jobs/persistence/synthetic-job.entity';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import type { ExecutorBehaviour } from '../../src/devnet/miners';
import { syntheticServices } from './support';
import { seedAnsweredSamples, startLlmBatchFixture, type LlmBatchFixture } from './llm-fixture';

jest.setTimeout(180_000);

/**
 * Streaming LLM synthetic jobs end to end: the validator's per-batch certificate in
 * streaming_details, simulated executors serving the prompt solver over real HTTPS with mutual TLS
 * on loopback, the validator's trigger, answers uploaded to a real S3 server (Ceph RGW) and checked
 * against the trusted miner's answers and the hash the executor returned; real WebSocket, real
 * PostgreSQL.
 */
describe('synthetic streaming LLM jobs', () => {
  let f: LlmBatchFixture;
  const seed = 515151;
  const miners: [string, ExecutorBehaviour][] = [
    ['honest', { kind: 'honest' }],
    ['wrong-hash', { kind: 'streaming-lie', lie: 'wrong-hash' }],
    ['not-ready', { kind: 'streaming-lie', lie: 'not-ready' }],
    ['never-ready', { kind: 'streaming-lie', lie: 'never-ready' }],
    ['bad-signature', { kind: 'streaming-lie', lie: 'bad-signature' }],
  ];
  const names = miners.map(([n]) => n);

  beforeAll(async () => {
    f = await startLlmBatchFixture(miners.map(([, behaviour]) => behaviour));
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('honest executors complete; a lying hash, NotReady, silence and a forged ready message fail', async () => {
    const { db, horde } = f;
    const s = syntheticServices(db.dataSource, {
      ...f.peer.env(f.buckets),
      DYNAMIC_SYNTHETIC_STREAMING_JOB_EXECUTOR_CLASSES: 'always_on.llm.a6000',
      DYNAMIC_SYNTHETIC_STREAMING_JOB_READY_TIMEOUT: '8',
    }, undefined, true);
    // One prompt series per miner in S3 and a finished workload that answered one prompt of each.
    await seedAnsweredSamples(db.dataSource, s.s3 as NonNullable<typeof s.s3>, { count: miners.length, seed, promptIndex: 3 });

    const batch = await s.runner.createBatch(2001, { shouldBeScored: false });
    const report = await s.runner.runBatch(batch.id);
    expect(report.jobs).toBe(miners.length);

    const rows = await db.dataSource.getRepository(SyntheticJob).find({ relations: { miner: true } });
    const jobs = new Map(rows.map((r) => [names[horde.miners.findIndex((m) => m.hotkey === r.miner.hotkey)], r]));
    const summary = Object.fromEntries([...jobs].map(([n, j]) => [n, `${j.status} ${j.failureKind ?? '-'}: ${j.comment}`]));

    expect(jobs.get('honest')).toMatchObject({ status: 'COMPLETED', score: 1, jobDescription: 'Streaming LLM prompts synthetic job' });
    expect(summary.honest).toMatch(/answers match the returned file hash, processed in \d+\.\d\d s$/);

    // The executor uploaded the right answers but returned another hash.
    expect(jobs.get('wrong-hash')).toMatchObject({ status: 'FAILED', score: 0, failureKind: 'WRONG_ANSWER' });
    expect(jobs.get('wrong-hash')?.comment).toMatch(/^Response hash and downloaded file hash don't match: response_hash='[0-9a-f]{64}', downloaded_answers_hash='[0-9a-f]{64}'$/);

    expect(jobs.get('not-ready')).toMatchObject({ status: 'FAILED', score: 0, failureKind: 'STREAMING_NOT_READY', comment: 'failed to start streaming' });
    expect(jobs.get('never-ready')).toMatchObject({ status: 'FAILED', score: 0, failureKind: 'TIMED_OUT', comment: 'timed out (the streaming job never became ready)' });
    expect(jobs.get('bad-signature')).toMatchObject({ status: 'FAILED', score: 0, failureKind: 'STREAMING_NOT_READY', comment: 'failed to start streaming: the ready message has an invalid miner_signature' });

    // NotReady and the forged ready message are recorded as JOB_NOT_STARTED events of their jobs.
    const events = await db.dataSource.getRepository(SystemEvent).find({ where: { type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'JOB_NOT_STARTED' } });
    expect(events.map((e) => (e.data as { job_uuid: string }).job_uuid).sort()).toEqual([jobs.get('not-ready')?.jobUuid, jobs.get('bad-signature')?.jobUuid].sort());
    expect(events.find((e) => (e.data as { job_uuid: string }).job_uuid === jobs.get('not-ready')?.jobUuid)?.longDescription).toBe('failed to start streaming');

    // Only the honest executor's endpoint was triggered and terminated; it finished after /terminate.
    const honestMiner = horde.miners[names.indexOf('honest')].miner;
    expect(honestMiner.events.filter((e) => e.kind === 'job-finished').map((e) => e.detail)).toEqual(['llm-prompt-solver (streaming; refused clients: 0)']);
  });
});
