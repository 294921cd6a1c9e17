import { parseJsonTree, pythonJson, v2JobRequestTree } from '../../src/protocol/facilitator';
import { JobJournalRepository } from '../../src/organic-jobs/persistence/job-journal.repository';
import { LiveFeedService, type LiveEvent } from '../../src/observability/live/live-feed.service';
import { startSimulatedHorde, SimulatedHorde, DEVNET_ECHO_HASH_IMAGE } from '../../src/devnet/miners';
import { jobRow, OrganicHarness, startOrganicHarness, until } from './harness';

const CLASS = 'always_on.test';
const JOB = { executorClass: CLASS, dockerImage: DEVNET_ECHO_HASH_IMAGE, limits: { download: 5, execution: 5, upload: 5, streaming: 5 } } as const;

/**
 * The job journal in one process (the whole daemon is stopped and killed in restart.int-spec.ts):
 * a request is stored before `received`; what a crash leaves behind is resumed or settled at start;
 * a request that arrives while the client drains is refused `busy`; job statuses reach the live feed.
 */
describe('organic job journal: stored before received, resumed after a restart, refused while draining', () => {
  let h: OrganicHarness;
  let horde: SimulatedHorde;
  let journal: JobJournalRepository;

  beforeAll(async () => {
    h = await startOrganicHarness({ client: { shutdownGraceMs: 10_000, abortWaitMs: 2000, settleMs: 2000 } });
    horde = await startSimulatedHorde({
      miners: [{ executors: [{ executorClass: CLASS, behaviour: { kind: 'slow', delaysMs: { executionDone: 1500 } } }, { executorClass: CLASS }] }],
    });
    await h.registerMiners(horde);
    journal = h.app.get(JobJournalRepository);
  });
  afterAll(async () => {
    await h?.close();
    await horde?.stop();
  });

  it('at start: a job a crash left before routing runs again; a PENDING row whose end status was queued is settled', async () => {
    // What a kill right after `received` leaves: the stored request and the queued status, nothing else.
    const req = h.facilitator.buildJob(JOB);
    h.facilitator.registerJob(req.uuid, h.validator.address);
    expect(await journal.admit(req.uuid, pythonJson(v2JobRequestTree(req)))).toBe(true);
    await journal.queue([{ uuid: req.uuid, status: 'received', frame: JSON.stringify({ message_type: 'V0JobStatusUpdate', uuid: req.uuid, status: 'received', metadata: null }) }]);
    // What a kill between queuing `completed` and saving the row leaves.
    const done = '7d1c6c9e-1f7a-4a5e-9a53-5b2b0f6f0a11';
    await journal.admit(done, '{}');
    await h.db.query(
      `INSERT INTO organic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, status) SELECT $1, id, '127.0.0.1', 4, 1, 'PENDING' FROM miner LIMIT 1`, [done]);
    await journal.queue([{ uuid: done, status: 'completed', frame: '{}' }]);
    await h.db.query(`UPDATE facilitator_outbox SET acked_at = now() WHERE job_uuid = $1`, [done]);

    h.client.start();
    await h.client.whenConnected();
    expect(h.client.recovered).toEqual({ resumed: [req.uuid], failed: [], rowsSettled: 1 });
    await h.facilitator.waitForEnd(req.uuid, 20_000);
    expect(h.facilitator.statusesOf(req.uuid)).toEqual(['received', 'accepted', 'executor_ready', 'volumes_ready', 'execution_done', 'completed']);
    // the frame leaves at once; the journal row ends with the outbox write a moment later
    const row = await until(async () => {
      const [r]: { final_status: string | null }[] = await h.db.query(`SELECT final_status, request, resumed FROM organic_job_request WHERE job_uuid = $1`, [req.uuid]);
      return r.final_status !== null ? r : undefined;
    }, 5000, 'journal row ended');
    expect(row).toEqual({ final_status: 'completed', request: null, resumed: 1 });
    expect(await jobRow(h.db, done)).toEqual(expect.objectContaining({ status: 'COMPLETED', outcome_reason: 'validator_restarted' }));
  });

  it('a request that cannot be stored is refused, and never answered received', async () => {
    await h.db.query(`ALTER TABLE organic_job_request RENAME TO organic_job_request_away`);
    let uuid: string;
    try {
      uuid = h.facilitator.submitJob(h.validator.address, JOB);
      await h.facilitator.waitForEnd(uuid);
    } finally {
      await h.db.query(`ALTER TABLE organic_job_request_away RENAME TO organic_job_request`);
    }
    expect(h.facilitator.statusesOf(uuid)).toEqual(['rejected']);
    expect(await jobRow(h.db, uuid)).toBeUndefined();
  });

  it('the request row exists when received goes out, and ends with the end status', async () => {
    const uuid = h.facilitator.submitJob(h.validator.address, JOB);
    const received = await h.facilitator.waitForStatus(uuid, ['received']);
    expect(received.status).toBe('received');
    const [row] = await h.db.query(`SELECT request IS NOT NULL AS stored FROM organic_job_request WHERE job_uuid = $1`, [uuid]);
    expect(row).toEqual({ stored: true });
    await h.facilitator.waitForEnd(uuid, 20_000);
    await until(async () => ((await h.db.query(`SELECT final_status FROM organic_job_request WHERE job_uuid = $1 AND ended_at IS NOT NULL`, [uuid])) as unknown[]).length > 0 || undefined);
  });

  it('job statuses go to the live feed with the miner that runs the job', async () => {
    const seen: LiveEvent[] = [];
    const sub = h.app.get(LiveFeedService).events$.subscribe((e) => seen.push(e));
    try {
      const uuid = h.facilitator.submitJob(h.validator.address, JOB);
      await h.facilitator.waitForEnd(uuid, 20_000);
      const mine = seen.filter((e) => e.kind === 'job_status' && e.jobUuid === uuid);
      expect(mine.map((e) => (e.kind === 'job_status' ? e.status : ''))).toEqual(['received', 'accepted', 'executor_ready', 'volumes_ready', 'execution_done', 'completed']);
      expect(mine.at(-1)).toEqual(expect.objectContaining({ jobKind: 'organic', minerHotkey: horde.miners[0].hotkey, executorClass: CLASS }));
    } finally {
      sub.unsubscribe();
    }
  });

  it('a cheat report sent the moment `completed` arrives (before the row is stored) still marks the job cheated', async () => {
    const details = parseJsonTree('{"reason":"output differs from the trusted result"}');
    const onStatus = (rec: { uuid: string; status: string }) => {
      if (rec.status === 'completed') h.facilitator.reportCheated(h.validator.address, rec.uuid, '0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77', details);
    };
    h.facilitator.on('status', onStatus);
    try {
      const uuid = h.facilitator.submitJob(h.validator.address, JOB);
      await h.facilitator.waitForEnd(uuid, 20_000);
      const row = await until(async () => {
        const r = await jobRow(h.db, uuid);
        return r?.cheated ? r : undefined;
      }, 15_000, 'job marked cheated');
      expect(row).toEqual(expect.objectContaining({ status: 'COMPLETED', cheated: true }));
      // the slash follows the row update and the blacklist entry: wait for it rather than race it
      await until(async () => h.gate.slashes.some((x) => x.jobUuid === uuid) || undefined, 15_000, 'slash of the cheated job requested');
      expect(h.gate.slashes.map((x) => x.jobUuid)).toContain(uuid);
    } finally {
      h.facilitator.off('status', onStatus);
      await h.db.query(`DELETE FROM miner_blacklist`);
    }
  });

  it('while draining, a running job finishes in the grace period and a new request is refused busy', async () => {
    const running = h.facilitator.submitJob(h.validator.address, JOB);
    await h.facilitator.waitForStatus(running, ['volumes_ready'], 20_000);
    const stopping = h.client.stop();
    const late = h.facilitator.submitJob(h.validator.address, JOB);
    const refused = await h.facilitator.waitForEnd(late);
    expect(h.facilitator.statusesOf(late)).toEqual(['rejected']);
    expect(refused.metadata).toEqual(expect.objectContaining({ job_rejection_details: { rejected_by: 'validator', reason: 'busy', message: 'The validator is shutting down', context: null } }));
    expect(await stopping).toEqual({ finishedInGrace: 1, interrupted: 0, notStarted: 0 });
    expect(h.facilitator.statusesOf(running).at(-1)).toBe('completed');
  });
});
