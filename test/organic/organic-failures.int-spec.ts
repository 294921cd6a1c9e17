import { Keyring } from '@polkadot/keyring';
import { startSimulatedHorde, SimulatedHorde, DEVNET_ECHO_HASH_IMAGE, ExecutorBehaviour } from '../../src/devnet/miners';
import { jobRow, OrganicHarness, startOrganicHarness, until } from './harness';
import { MetricsService } from '../../src/observability/metrics.service';

const CLASS = 'always_on.test';
const JOB = { executorClass: CLASS, dockerImage: DEVNET_ECHO_HASH_IMAGE, limits: { download: 1, execution: 1, upload: 1, streaming: 1 } } as const;

/** Miner index -> behaviour; each failure kind gets its own miner so blacklisting does not interfere. */
const BEHAVIOURS: Record<string, ExecutorBehaviour> = {
  declineNoExcuse: { kind: 'decline', excuse: 'none' },
  declineValidExcuse: { kind: 'decline', excuse: 'valid', excuseCount: 1 },
  declineForgedExcuse: { kind: 'decline', excuse: 'forged', excuseCount: 1 },
  silentAfterInitial: { kind: 'silent', after: 'initial-request' },
  silentAfterAccept: { kind: 'silent', after: 'accept' },
  silentAfterJobRequest: { kind: 'silent', after: 'job-request' },
  slowExecution: { kind: 'slow', delaysMs: { executionDone: 6000 } },
  slowFinish: { kind: 'slow', delaysMs: { finished: 6000 } },
  disconnectAfterAccept: { kind: 'disconnect', after: 'accept' },
  garbage: { kind: 'garbage', after: 'initial-request', count: 5 },
  honest: { kind: 'honest' },
};
const NAMES = Object.keys(BEHAVIOURS);

describe('organic job failures: each gives the prescribed status and the job row records why', () => {
  let h: OrganicHarness;
  let horde: SimulatedHorde;
  const excuser = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//BigStakeValidator');
  const hotkeyOf = (name: string) => horde.miners[NAMES.indexOf(name)].hotkey;

  beforeAll(async () => {
    h = await startOrganicHarness();
    horde = await startSimulatedHorde({
      miners: NAMES.map((n) => ({ executors: [{ executorClass: CLASS, behaviour: BEHAVIOURS[n] }], excuseSigners: [excuser] })),
    });
    await h.registerMiners(horde);
    // a validator with enough stake for its receipts to excuse a busy miner
    await h.db.query(`INSERT INTO miner (hotkey, stake, validator_permit, in_metagraph) VALUES ($1, $2, true, true)`, [excuser.address, (50_000n * 10n ** 9n).toString()]);
    h.client.start();
    await h.client.whenConnected();
  });
  afterAll(async () => {
    await h?.close();
    await horde?.stop();
  });

  async function runOn(name: string, job: object = JOB) {
    await h.serveOnly([hotkeyOf(name)], CLASS);
    const uuid = h.facilitator.submitJob(h.validator.address, job);
    const end = await h.facilitator.waitForEnd(uuid, 20_000);
    if (end.status === 'rejected' && (end.metadata as { job_rejection_details?: { rejected_by: string } })?.job_rejection_details?.rejected_by === 'validator') {
      throw new Error(`routing refused the job: ${JSON.stringify(end.metadata)}`);
    }
    const row = await until(async () => {
      const r = await jobRow(h.db, uuid);
      return r && r.status !== 'PENDING' ? r : undefined;
    }, 5000, 'job row outcome');
    return { uuid, end, row, statuses: h.facilitator.statusesOf(uuid) };
  }

  async function blacklistReasons(hotkey: string): Promise<string[]> {
    const rows: { reason: string }[] = await h.db.query(`SELECT reason FROM miner_blacklist b JOIN miner m ON m.id = b.miner_id WHERE m.hotkey = $1`, [hotkey]);
    return rows.map((r) => r.reason);
  }
  async function incidents(uuid: string): Promise<string[]> {
    const rows: { type: string }[] = await h.db.query(`SELECT type FROM miner_incident WHERE job_uuid = $1`, [uuid]);
    return rows.map((r) => r.type);
  }

  it('decline busy without an excuse: rejected by the miner, FAILED, incident, blacklisted', async () => {
    const r = await runOn('declineNoExcuse');
    expect(r.statuses).toEqual(['received', 'rejected']);
    expect(r.end.metadata).toEqual(expect.objectContaining({ job_rejection_details: { rejected_by: 'miner', reason: 'busy', message: 'Miner failed to excuse job', context: null } }));
    expect(r.row).toEqual(expect.objectContaining({ status: 'FAILED', comment: 'Miner failed to excuse job', outcome_reason: 'declined:busy:not_excused' }));
    expect(await until(async () => { const i = await incidents(r.uuid); return i.length ? i : undefined; }, 3000, 'incident')).toEqual(['MINER_JOB_REJECTED']);
    await until(async () => (await blacklistReasons(hotkeyOf('declineNoExcuse'))).includes('JOB_FAILED') || undefined, 3000, 'blacklist row');
    // the reference's counter, with its labels
    expect(await h.app.get(MetricsService).registry.getSingleMetricAsString('validator_miner_incident_reported_total')).toContain(
      `validator_miner_incident_reported_total{incident_type="MINER_JOB_REJECTED",miner_hotkey="${hotkeyOf('declineNoExcuse')}",executor_class="${CLASS}"} 1`,
    );
  });

  it('decline busy with a valid excuse: rejected, EXCUSED, no incident, no blacklist', async () => {
    const r = await runOn('declineValidExcuse');
    expect(r.statuses).toEqual(['received', 'rejected']);
    expect(r.end.metadata).toEqual(expect.objectContaining({ job_rejection_details: { rejected_by: 'miner', reason: 'busy', message: 'Miner properly excused job', context: null } }));
    expect(r.row).toEqual(expect.objectContaining({ status: 'EXCUSED', comment: 'Miner properly excused job' }));
    expect(await incidents(r.uuid)).toEqual([]);
    await new Promise((res) => setTimeout(res, 200));
    expect(await blacklistReasons(hotkeyOf('declineValidExcuse'))).toEqual([]);
  });

  it('decline busy with a forged excuse is not excused', async () => {
    const r = await runOn('declineForgedExcuse');
    expect(r.row).toEqual(expect.objectContaining({ status: 'FAILED', comment: 'Miner failed to excuse job' }));
  });

  it.each([
    ['silentAfterInitial', 'initial_response_timed_out', ['received', 'failed']],
    ['silentAfterAccept', 'executor_readiness_response_timed_out', ['received', 'accepted', 'failed']],
    ['silentAfterJobRequest', 'volumes_timed_out', ['received', 'accepted', 'executor_ready', 'failed']],
    ['slowExecution', 'execution_timed_out', ['received', 'accepted', 'executor_ready', 'volumes_ready', 'failed']],
    ['slowFinish', 'final_response_timed_out', ['received', 'accepted', 'executor_ready', 'volumes_ready', 'execution_done', 'failed']],
  ])('%s: timeout %s reported as failed with horde details', async (name, reason, statuses) => {
    const r = await runOn(name);
    expect(r.statuses).toEqual(statuses);
    expect(r.end.metadata).toEqual(expect.objectContaining({
      horde_failure_details: { reported_by: 'validator', reason, message: `Timed out waiting for miner (reason=${reason})`, context: null },
    }));
    expect(r.row).toEqual(expect.objectContaining({ status: 'FAILED', outcome_reason: reason, comment: `Horde failed (${reason}): Timed out waiting for miner (reason=${reason})` }));
    expect(await incidents(r.uuid)).toEqual([]);
  });

  it('a miner that disconnects mid-job: failed, miner_connection_failed', async () => {
    const r = await runOn('disconnectAfterAccept');
    expect(r.statuses).toEqual(['received', 'accepted', 'failed']);
    expect(r.end.metadata).toEqual(expect.objectContaining({ horde_failure_details: expect.objectContaining({ reported_by: 'validator', reason: 'miner_connection_failed' }) }));
    expect(r.row).toEqual(expect.objectContaining({ status: 'FAILED', outcome_reason: 'miner_connection_failed' }));
  });

  it('a miner that answers garbage: times out, and the job row says the miner sent malformed frames', async () => {
    const r = await runOn('garbage');
    expect(r.statuses).toEqual(['received', 'failed']);
    expect(r.row.outcome_reason).toBe('initial_response_timed_out');
    expect(String(r.row.comment)).toMatch(/miner sent \d+ malformed frame/);
  });

  it('a miner-reported horde failure is relayed as horde_failed with its details, with an incident', async () => {
    const r = await runOn('honest', { ...JOB, dockerImage: 'no/such-image' });
    expect(r.statuses).toEqual(['received', 'accepted', 'executor_ready', 'horde_failed']);
    expect(r.end.metadata).toEqual(expect.objectContaining({ horde_failure_details: expect.objectContaining({ reported_by: 'executor', reason: 'generic_error' }) }));
    expect(await until(async () => { const i = await incidents(r.uuid); return i.length ? i : undefined; }, 3000, 'incident')).toEqual(['MINER_HORDE_FAILED']);
  });

  it('an unreachable miner: failed with "Miner connection failed: ..."', async () => {
    await h.db.query(`INSERT INTO miner (hotkey, address, port, in_metagraph) VALUES ('5UnreachableMinerHotkey', '127.0.0.1', 1, true)`);
    await h.db.query(`INSERT INTO miner_manifest (miner_id, created_at, executor_class, executor_count, online_executor_count) SELECT id, now(), $1, 1, 1 FROM miner WHERE hotkey = '5UnreachableMinerHotkey'`, [CLASS]);
    await h.serveOnly(['5UnreachableMinerHotkey'], CLASS);
    const uuid = h.facilitator.submitJob(h.validator.address, JOB);
    const end = await h.facilitator.waitForEnd(uuid, 20_000);
    expect(h.facilitator.statusesOf(uuid)).toEqual(['received', 'failed']);
    const d = (end.metadata as { horde_failure_details: { reason: string; message: string } }).horde_failure_details;
    expect(d.reason).toBe('miner_connection_failed');
    expect(d.message).toMatch(/^Miner connection failed: /);
  });
});
