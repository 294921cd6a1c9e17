import { startSimulatedHorde, SimulatedHorde, DEVNET_ECHO_HASH_IMAGE } from '../../src/devnet/miners';
import { jobRow, OrganicHarness, startOrganicHarness, until } from './harness';

const CLASS = 'always_on.test';
const JOB = { executorClass: CLASS, dockerImage: DEVNET_ECHO_HASH_IMAGE, limits: { download: 1, execution: 2, upload: 1, streaming: 1 } } as const;

describe('organic jobs under stress: facilitator reconnects, concurrent routing', () => {
  let h: OrganicHarness;
  let horde: SimulatedHorde;

  beforeAll(async () => {
    h = await startOrganicHarness();
    horde = await startSimulatedHorde({
      miners: [
        { executors: [{ executorClass: CLASS, behaviour: { kind: 'slow', delaysMs: { executionDone: 1500 } } }] },
        { executors: [{ executorClass: CLASS }] },
      ],
    });
    await h.registerMiners(horde);
    h.client.start();
    await h.client.whenConnected();
  });
  afterAll(async () => {
    await h?.close();
    await horde?.stop();
  });

  it('the facilitator connection drops mid-job: the validator reconnects and every status still arrives, in order', async () => {
    await h.serveOnly([horde.miners[0].hotkey], CLASS);
    const uuid = h.facilitator.submitJob(h.validator.address, JOB);
    await h.facilitator.waitForStatus(uuid, ['volumes_ready']);
    const authsBefore = h.facilitator.authAttempts.filter((a) => a.ok).length;
    h.facilitator.dropConnections();
    // the miner reports execution_done and finishes while the validator is disconnected or reconnecting
    await h.facilitator.waitForEnd(uuid, 20_000);
    expect(h.facilitator.authAttempts.filter((a) => a.ok).length).toBeGreaterThan(authsBefore);
    expect(h.facilitator.statusesOf(uuid)).toEqual(['received', 'accepted', 'executor_ready', 'volumes_ready', 'execution_done', 'completed']);
    // the facilitator hears the outcome first; the row follows
    expect(await until(async () => ((await jobRow(h.db, uuid))?.status === 'COMPLETED' ? 'COMPLETED' : undefined), 5000, 'job row completed')).toBe('COMPLETED');
    // every update was acknowledged by the facilitator, none is left in the outbox
    await until(async () => {
      const pending: unknown[] = await h.db.query(`SELECT 1 FROM facilitator_outbox WHERE job_uuid = $1 AND acked_at IS NULL`, [uuid]);
      return pending.length === 0 || undefined;
    }, 5000, 'outbox drained');
  });

  it('status updates queued while the facilitator is down are delivered after it comes back', async () => {
    await h.serveOnly([horde.miners[1].hotkey], CLASS);
    const uuid = h.facilitator.submitJob(h.validator.address, JOB);
    await h.facilitator.waitForStatus(uuid, ['received']);
    // refuse the validator for a while: it keeps retrying with backoff
    h.facilitator.setActiveValidators([]);
    h.facilitator.dropConnections();
    try {
      await until(async () => (await jobRow(h.db, uuid))?.status === 'COMPLETED' || undefined, 15_000, 'job completed while disconnected');
      await until(async () => h.facilitator.authAttempts.some((a) => !a.ok && a.error === 'auth.validator_not_found') || undefined, 10_000, 'a refused reconnect');
      expect(h.facilitator.statusesOf(uuid)).not.toContain('completed');
    } finally {
      h.facilitator.setActiveValidators([h.validator.address]);
    }
    await h.facilitator.waitForEnd(uuid, 15_000);
    expect(h.facilitator.statusesOf(uuid)).toEqual(['received', 'accepted', 'executor_ready', 'volumes_ready', 'execution_done', 'completed']);
  });

  it('two concurrent jobs race for one free executor: exactly one gets it, the other is rejected as AllMinersBusy', async () => {
    await h.client.whenConnected(15_000);
    await h.serveOnly([horde.miners[1].hotkey], CLASS, 1);
    const a = h.facilitator.submitJob(h.validator.address, JOB);
    const b = h.facilitator.submitJob(h.validator.address, JOB);
    const [ea, eb] = await Promise.all([h.facilitator.waitForEnd(a, 20_000), h.facilitator.waitForEnd(b, 20_000)]);
    const ends = [ea, eb].map((e) => e.status).sort();
    expect(ends).toEqual(['completed', 'rejected']);
    const rejected = ea.status === 'rejected' ? ea : eb;
    expect(rejected.metadata).toEqual(expect.objectContaining({
      job_rejection_details: { rejected_by: 'validator', reason: 'no_miner_for_job', message: 'Job could not be routed to a miner', context: { exception_type: 'AllMinersBusy' } },
    }));
    // the miner never had to decline: the validator did not send it a second job
    expect(horde.miners[1].miner.events.filter((e) => e.kind === 'job-declined')).toHaveLength(0);
    // once the first job is over, the executor is free again
    const c = h.facilitator.submitJob(h.validator.address, JOB);
    expect((await h.facilitator.waitForEnd(c, 20_000)).status).toBe('completed');
  });
});
