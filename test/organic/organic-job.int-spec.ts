import { startSimulatedHorde, SimulatedHorde, DEVNET_ECHO_HASH_IMAGE, echoHashAnswer } from '../../src/devnet/miners';
import { jobRow, OrganicHarness, startOrganicHarness, until } from './harness';

const CLASS = 'always_on.test';
const JOB = { executorClass: CLASS, dockerImage: DEVNET_ECHO_HASH_IMAGE, args: ['--say', 'hi'], limits: { download: 1, execution: 1, upload: 1, streaming: 1 } } as const;

describe('organic job: simulated facilitator -> validator -> simulated miner -> facilitator', () => {
  let h: OrganicHarness;
  let horde: SimulatedHorde;

  beforeAll(async () => {
    h = await startOrganicHarness({ client: { heartbeatMs: 300 } });
    horde = await startSimulatedHorde({ miners: [{ executors: 1 }, { executors: 1 }], defaults: { executorClass: CLASS } });
    await h.registerMiners(horde);
    h.client.start();
    await h.client.whenConnected();
  });
  afterAll(async () => {
    await h?.close();
    await horde?.stop();
  });

  it('authenticates with the validator hotkey and completes a job with the exact status sequence', async () => {
    expect(h.facilitator.authAttempts).toContainEqual({ hotkey: h.validator.address, ok: true });
    const uuid = h.facilitator.submitJob(h.validator.address, JOB);
    const end = await h.facilitator.waitForEnd(uuid);
    expect(h.facilitator.statusesOf(uuid)).toEqual(['received', 'accepted', 'executor_ready', 'volumes_ready', 'execution_done', 'completed']);
    const expectedStdout = echoHashAnswer(['--say', 'hi'], new Map());
    expect(end.metadata).toEqual(expect.objectContaining({
      miner_response: { docker_process_stderr: '', docker_process_stdout: expectedStdout, artifacts: {}, upload_results: {} },
    }));
    const row = await until(async () => {
      const r = await jobRow(h.db, uuid);
      return r?.status === 'COMPLETED' ? r : undefined;
    });
    expect(row).toEqual(expect.objectContaining({ stdout: expectedStdout, job_description: 'User job from facilitator', namespace: DEVNET_ECHO_HASH_IMAGE, allowance_job_value: 3 }));
    // the three receipts, stored with their exact signed text, and countersigned by the miner
    const miner = horde.miners.find((m) => m.hotkey === row.miner_hotkey)!;
    await until(async () => miner.miner.receipts.filter((r) => r.payload.job_uuid === uuid).length === 3 || undefined, 5000, 'miner receipts');
    const stored = await until(async () => {
      const rows: { t: string; blob: string }[] = await h.db.query(
        `SELECT 'started' t, payload_blob blob FROM job_started_receipt WHERE job_uuid = $1 UNION ALL
         SELECT 'accepted', payload_blob FROM job_accepted_receipt WHERE job_uuid = $1 UNION ALL
         SELECT 'finished', payload_blob FROM job_finished_receipt WHERE job_uuid = $1`, [uuid]);
      return rows.length === 3 ? rows : undefined;
    }, 5000, 'stored receipts');
    const finished = stored.find((r) => r.t === 'finished')!;
    expect(JSON.parse(finished.blob)).toEqual(expect.objectContaining({ score_str: '3.000000', receipt_type: 'JobFinishedReceipt' }));
  });

  it('heartbeats reach the facilitator', async () => {
    // every heartbeatMs (300 ms here) on the authenticated connection
    const before = h.facilitator.heartbeats.length;
    await until(async () => h.facilitator.heartbeats.length > before || undefined, 2000, 'heartbeat');
    expect(h.facilitator.heartbeats.at(-1)?.hotkey).toBe(h.validator.address);
  });

  it('rejects a job whose signature does not verify, before sending received', async () => {
    const uuid = h.facilitator.submitJob(h.validator.address, { ...JOB, tamperSignature: true });
    const end = await h.facilitator.waitForEnd(uuid);
    expect(h.facilitator.statusesOf(uuid)).toEqual(['rejected']);
    expect(end.metadata).toEqual(expect.objectContaining({ job_rejection_details: { rejected_by: 'validator', reason: 'invalid_signature', message: 'Bad signature', context: null } }));
    expect(await jobRow(h.db, uuid)).toBeUndefined();
  });

  it('rejects a job signed by a hotkey that is not whitelisted', async () => {
    const { Keyring } = await import('@polkadot/keyring');
    const stranger = new Keyring({ type: 'sr25519' }).addFromUri('//Stranger');
    const uuid = h.facilitator.submitJob(h.validator.address, { ...JOB, signer: stranger });
    const end = await h.facilitator.waitForEnd(uuid);
    expect(end.metadata).toEqual(expect.objectContaining({
      job_rejection_details: { rejected_by: 'validator', reason: 'invalid_signature', message: `Signatory ${stranger.address} is not in validator whitelist`, context: null },
    }));
  });

  it('rejects an unsigned job with "Signature is empty"', async () => {
    const uuid = h.facilitator.submitJob(h.validator.address, { ...JOB, signer: null });
    const end = await h.facilitator.waitForEnd(uuid);
    expect((end.metadata as { job_rejection_details: { message: string } }).job_rejection_details.message).toBe('Signature is empty');
  });

  it('answers a malformed job request that carries a uuid with rejected, and ignores other garbage', async () => {
    const uuid = '3f0b1c2a-5e77-4d4b-9f53-0d6b0c7e9a4f';
    h.facilitator.registerJob(uuid, h.validator.address);
    h.facilitator.sendRaw(h.validator.address, JSON.stringify({ message_type: 'V2JobRequest', uuid, executor_class: 'no.such.class' }));
    h.facilitator.sendRaw(h.validator.address, '{"job_request": "invalid"}');
    h.facilitator.sendRaw(h.validator.address, 'not json');
    const end = await h.facilitator.waitForEnd(uuid);
    expect(end.metadata).toEqual(expect.objectContaining({ job_rejection_details: expect.objectContaining({ rejected_by: 'validator', reason: 'unknown' }) }));
    expect(h.client.connected).toBe(true);
  });

  it('rejects with no_miner_for_job when no miner serves the class', async () => {
    const uuid = h.facilitator.submitJob(h.validator.address, { ...JOB, executorClass: 'always_on.llm.a6000' });
    const end = await h.facilitator.waitForEnd(uuid);
    expect(h.facilitator.statusesOf(uuid)).toEqual(['received', 'rejected']);
    expect(end.metadata).toEqual(expect.objectContaining({
      job_rejection_details: { rejected_by: 'validator', reason: 'no_miner_for_job', message: 'Job could not be routed to a miner', context: { exception_type: 'NotEnoughAllowanceException' } },
    }));
  });

  it('rejects with NotEnoughCollateralException when the collateral gate filters every miner out', async () => {
    h.gate.threshold = 10n ** 16n;
    h.gate.excluded = new Set(horde.miners.map((m) => m.hotkey));
    try {
      const uuid = h.facilitator.submitJob(h.validator.address, JOB);
      const end = await h.facilitator.waitForEnd(uuid);
      expect((end.metadata as { job_rejection_details: { context: unknown } }).job_rejection_details.context).toEqual({ exception_type: 'NotEnoughCollateralException' });
    } finally {
      h.gate.threshold = null;
      h.gate.excluded = new Set();
    }
  });

  it('marks a completed job cheated on an SDK-signed cheat report, blacklists and asks the gate to slash, once', async () => {
    const uuid = h.facilitator.submitJob(h.validator.address, JOB);
    await h.facilitator.waitForStatus(uuid, ['completed']);
    await until(async () => (await jobRow(h.db, uuid))?.status === 'COMPLETED' || undefined);
    const { parseJsonTree } = await import('../../src/protocol/facilitator');
    const details = parseJsonTree('{"expected_hash":"expected_hash","actual_hash":"def456","reason":"hash_mismatch"}');
    h.facilitator.reportCheated(h.validator.address, uuid, '0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77', details);
    const row = await until(async () => {
      const r = await jobRow(h.db, uuid);
      return r?.cheated ? r : undefined;
    });
    const bl: { reason: string }[] = await h.db.query(`SELECT reason FROM miner_blacklist b JOIN miner m ON m.id = b.miner_id WHERE m.hotkey = $1`, [row.miner_hotkey]);
    expect(bl).toEqual([{ reason: 'JOB_CHEATED' }]);
    await until(async () => h.gate.slashes.length === 1 || undefined);
    expect(h.gate.slashes[0]).toEqual(expect.objectContaining({ jobUuid: uuid, minerHotkey: row.miner_hotkey }));
    const events: { data: Record<string, unknown> }[] = await until(async () => {
      const e: { data: Record<string, unknown> }[] = await h.db.query(`SELECT data FROM system_event WHERE type = 'MINER_ORGANIC_JOB_FAILURE' AND subtype = 'JOB_CHEATED'`);
      return e.length ? e : undefined;
    });
    expect(events[0].data).toEqual(expect.objectContaining({ job_uuid: uuid, trusted_job_uuid: '0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77', cheat_details: { expected_hash: 'expected_hash', actual_hash: 'def456', reason: 'hash_mismatch' } }));
    // reported again: nothing changes
    h.facilitator.reportCheated(h.validator.address, uuid, '0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77', details);
    await new Promise((r) => setTimeout(r, 300));
    const bl2: unknown[] = await h.db.query(`SELECT 1 FROM miner_blacklist b JOIN miner m ON m.id = b.miner_id WHERE m.hotkey = $1`, [row.miner_hotkey]);
    expect(bl2).toHaveLength(1);
    expect(h.gate.slashes).toHaveLength(1);
  });

  it('routes around a blacklisted miner (the reference never reads the blacklist)', async () => {
    const bl: { hotkey: string }[] = await h.db.query(`SELECT DISTINCT m.hotkey FROM miner_blacklist b JOIN miner m ON m.id = b.miner_id`);
    expect(bl).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      const uuid = h.facilitator.submitJob(h.validator.address, JOB);
      await h.facilitator.waitForStatus(uuid, ['completed']);
      const row = await until(async () => jobRow(h.db, uuid));
      expect(row.miner_hotkey).not.toBe(bl[0].hotkey);
    }
  });

  it("frees the executor when the job's end is reported: a job sent at that very moment gets it", async () => {
    // One usable miner with one executor (the other is blacklisted above). The facilitator sends the
    // next job in the same tick as it receives `completed`, before the validator has closed the
    // miner connection and stored the receipts.
    const first = h.facilitator.submitJob(h.validator.address, JOB);
    const next = new Promise<string>((resolve) => {
      const on = (s: { uuid: string; status: string }) => {
        if (s.uuid !== first || s.status !== 'completed') return;
        h.facilitator.off('status', on);
        resolve(h.facilitator.submitJob(h.validator.address, JOB));
      };
      h.facilitator.on('status', on);
    });
    const second = await next;
    await h.facilitator.waitForEnd(second);
    expect(h.facilitator.statusesOf(second)).toEqual(['received', 'accepted', 'executor_ready', 'volumes_ready', 'execution_done', 'completed']);
  });
});
