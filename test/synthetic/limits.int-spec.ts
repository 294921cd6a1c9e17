import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startSimulatedHorde, type SimulatedHorde } from '../../src/devnet/miners';
import { HashcatRunner } from '../../src/devnet/executors/hashcat.runner';
import { SyntheticJob } from '../../src/synthetic-jobs/persistence/synthetic-job.entity';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import { migratedPostgres } from '../support/postgres';
import { registerHorde, syntheticServices } from './support';

/** Executor counts per batch (synthetic-jobs.md §13.7 test_batch.py, scoring-synthetic-era.md §5.2). */
describe('synthetic batch executor limits', () => {
  let horde: SimulatedHorde;
  let db: Awaited<ReturnType<typeof migratedPostgres>>;

  beforeAll(async () => {
    await cryptoWaitReady();
    db = await migratedPostgres();
    horde = await startSimulatedHorde({ miners: [{ executors: 10, executorClass: 'always_on.gpu-24gb' }], defaults: { runners: [new HashcatRunner()] } });
    await registerHorde(db.dataSource, horde);
  });
  afterAll(async () => {
    await horde?.stop();
    await db?.close();
  });

  const jobsOf = async (batchId: string) => db.dataSource.getRepository(SyntheticJob).find({ where: { batchId } });

  it('inside the peak cycle (block 1000): one job per reported executor, all scored 1', async () => {
    const s = syntheticServices(db.dataSource);
    const batch = await s.runner.createBatch(1000, { shouldBeScored: true });
    await s.runner.runBatch(batch.id);
    const jobs = await jobsOf(batch.id);
    expect(jobs).toHaveLength(10);
    expect(jobs.every((j) => j.status === 'COMPLETED' && j.score === 1)).toBe(true);
  });

  it('non-peak (block 10000) with a peak batch whose manifest says 20 online and ratio 0.1: ceil(2) jobs', async () => {
    const s = syntheticServices(db.dataSource);
    const peak = await s.runner.createBatch(8000, { shouldBeScored: true });
    const [{ id: minerId }] = (await db.dataSource.query('SELECT id FROM miner')) as { id: string }[];
    await db.dataSource.query(
      `INSERT INTO miner_manifest (miner_id, batch_id, executor_class, executor_count, online_executor_count) VALUES ($1, $2, 'always_on.gpu-24gb', 20, 20)`,
      [minerId, peak.id],
    );
    const batch = await s.runner.createBatch(10000, { shouldBeScored: true });
    await s.runner.runBatch(batch.id);
    expect(await jobsOf(batch.id)).toHaveLength(2);
    const clipped = (await db.dataSource.getRepository(SystemEvent).find()).filter((e) => e.type === 'MINER_EXECUTOR_COUNT_CLIPPED');
    expect(clipped.map((e) => [e.longDescription, e.data.allowed_count, e.data.miner_reported_count])).toEqual([['non-peak executor count clipped', 2, 10]]);
  });

  it('non-peak without peak data (missed peak) and the default limit for the class: 1 job', async () => {
    const s = syntheticServices(db.dataSource, { DYNAMIC_DEFAULT_EXECUTOR_LIMITS_FOR_MISSED_PEAK: 'always_on.gpu-24gb=1' });
    await db.dataSource.query('DELETE FROM miner_manifest');
    const batch = await s.runner.createBatch(10001, { shouldBeScored: true });
    await s.runner.runBatch(batch.id);
    expect(await jobsOf(batch.id)).toHaveLength(1);
  });

  it('the hard cap per class clips first (DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS)', async () => {
    const s = syntheticServices(db.dataSource, { DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS: 'always_on.gpu-24gb=3' });
    const batch = await s.runner.createBatch(1001, { shouldBeScored: true });
    await s.runner.runBatch(batch.id);
    expect(await jobsOf(batch.id)).toHaveLength(3);
    const clipped = (await db.dataSource.getRepository(SystemEvent).find()).filter((e) => e.longDescription === 'executor count clipped');
    expect(clipped.map((e) => [e.data.allowed_count, e.data.miner_reported_count])).toEqual([[3, 10]]);
  });
});
