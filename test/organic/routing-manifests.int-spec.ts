import { startSimulatedHorde, SimulatedHorde, DEVNET_ECHO_HASH_IMAGE, EchoHashRunner } from '../../src/devnet/miners';
import { HashcatRunner } from '../../src/devnet/executors/hashcat.runner';
import { ExclusiveRunner } from '../../src/database/exclusive-runner.service';
import { SystemClock } from '../../src/config/clock';
import { ManifestSource } from '../../src/organic-jobs/routing/manifest-source';
import { DEVNET_BATCH_TIMINGS } from '../../src/synthetic-jobs/debug-settings/devnet-batch-timings';
import { isInPeakCycle } from '../../src/synthetic-jobs/calendar/chain-time';
import { ManifestPollService } from '../../src/synthetic-jobs/manifests/manifest-poll.service';
import { syntheticServices } from '../synthetic/support';
import { jobRow, OrganicHarness, startOrganicHarness } from './harness';
import { MinerManifestRepository } from '../../src/synthetic-jobs/persistence/miner-manifest.repository';

const CLASS = 'always_on.gpu-24gb';

/**
 * Issue 15 item 6: a non-peak synthetic batch tests one executor per miner and writes its own
 * `miner_manifest` row (executor_count 1); the manifest poll recorded what the miner declared (2).
 * Routing must count the declared executors, so a miner with one of two executors busy still gets a job.
 */
describe('routing counts executors from the manifest poll, not from batch rows', () => {
  let h: OrganicHarness;
  let horde: SimulatedHorde;

  beforeAll(async () => {
    h = await startOrganicHarness();
    const slow = { kind: 'slow' as const, delaysMs: { executionDone: 1500 } };
    horde = await startSimulatedHorde({
      miners: [{ executors: [{ executorClass: CLASS, behaviour: slow }, { executorClass: CLASS, behaviour: slow }] }],
      defaults: { runners: [new HashcatRunner(), new EchoHashRunner()] },
    });
    await h.registerMiners(horde);
    await h.db.query(`DELETE FROM miner_manifest`);
    h.client.start();
    await h.client.whenConnected();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await horde?.stop();
  });

  it('the poll declares 2, a later non-peak batch row says 1: routing sees 2 and runs two jobs at once on the miner', async () => {
    const s = syntheticServices(h.db);
    const poll = new ManifestPollService(new MinerManifestRepository(h.db), s.miners, s.hotkey, new SystemClock(), new ExclusiveRunner(h.db));
    expect((await poll.pollOnce()).manifests).toBe(1);

    const block = 1000 + 3 * 722;
    expect(isInPeakCycle(block, s.config.chain.BITTENSOR_NETUID)).toBe(false);
    const batch = await s.runner.createBatch(block, { shouldBeScored: false });
    const report = await s.runner.runBatch(batch.id, { activeValidators: [], timings: DEVNET_BATCH_TIMINGS });
    expect(report.jobs).toBe(1); // the non-peak rule: one job per class for a miner that missed the peak
    const rows: { batch_id: string | null; executor_count: number; online_executor_count: number }[] = await h.db.query(
      `SELECT batch_id::text, executor_count, online_executor_count FROM miner_manifest WHERE executor_class = $1 ORDER BY id`, [CLASS]);
    expect(rows).toEqual([
      { batch_id: null, executor_count: 2, online_executor_count: 2 },
      { batch_id: batch.id, executor_count: 1, online_executor_count: 1 },
    ]);

    const serving = await h.app.get(ManifestSource).servingMiners(CLASS);
    expect(serving.map((m) => [m.hotkey, m.executorCount])).toEqual([[horde.miners[0].hotkey, 2]]);

    const job = { executorClass: CLASS, dockerImage: DEVNET_ECHO_HASH_IMAGE, limits: { download: 1, execution: 3, upload: 1, streaming: 1 } } as const;
    const a = h.facilitator.submitJob(h.validator.address, job);
    await h.facilitator.waitForStatus(a, ['accepted']);
    const b = h.facilitator.submitJob(h.validator.address, job);
    const [ea, eb] = await Promise.all([h.facilitator.waitForEnd(a, 20_000), h.facilitator.waitForEnd(b, 20_000)]);
    expect([ea.status, eb.status]).toEqual(['completed', 'completed']);
    // both ran on the one miner, overlapping
    expect(h.facilitator.statusesOf(a)).not.toContain('rejected');
    expect((await jobRow(h.db, b))?.miner_hotkey).toBe(horde.miners[0].hotkey);
  }, 120_000);

  it('a miner that does not answer the poll keeps its classes with no executor online, and routing skips it', async () => {
    const s = syntheticServices(h.db);
    const poll = new ManifestPollService(new MinerManifestRepository(h.db), s.miners, s.hotkey, new SystemClock(), new ExclusiveRunner(h.db));
    await horde.stop();
    const result = await poll.pollOnce();
    expect(result.failures).toHaveLength(1);
    const newest: { executor_count: number; online_executor_count: number }[] = await h.db.query(
      `SELECT executor_count, online_executor_count FROM miner_manifest WHERE executor_class = $1 AND batch_id IS NULL ORDER BY id DESC LIMIT 1`, [CLASS]);
    expect(newest).toEqual([{ executor_count: 2, online_executor_count: 0 }]);
    expect(await h.app.get(ManifestSource).servingMiners(CLASS)).toEqual([]);
  }, 60_000);
});
