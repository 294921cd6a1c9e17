import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startSimulatedHorde, type ExecutorBehaviour, type SimulatedHorde } from '../../src/devnet/miners';
import { HashcatRunner } from '../../src/devnet/executors/hashcat.runner';
import { Miner } from '../../src/miners/registry/miner.entity';
import { SyntheticJob } from '../../src/synthetic-jobs/persistence/synthetic-job.entity';
import { MinerManifest } from '../../src/synthetic-jobs/persistence/miner-manifest.entity';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import type { LiveEvent } from '../../src/observability/live/live-feed.service';
import type { BatchReport } from '../../src/synthetic-jobs/batch-run/batch-runner.service';
import { migratedPostgres } from '../support/postgres';
import { DebugRunSyntheticJobToMinerCommand } from '../../src/synthetic-jobs/commands/debug-run-synthetic-jobs.command';
import { SyntheticChainReader } from '../../src/synthetic-jobs/calendar/synthetic-chain.reader';
import { registerHorde, syntheticServices } from './support';

/**
 * One batch against a simulated horde with every behaviour at once (real WebSocket, real PostgreSQL,
 * the CPU hashcat executor at devnet difficulty). Verdicts: scoring-synthetic-era.md §5.4.
 */
describe('synthetic batch against a mixed horde', () => {
  const excuseSigner = () => new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Charlie');
  const behaviours: Record<string, ExecutorBehaviour> = {
    honest: { kind: 'honest' },
    slow: { kind: 'slow', delaysMs: { accept: 300, executorReady: 300, finished: 800 } },
    wrong: { kind: 'wrong-answer' },
    declineValid: { kind: 'decline', excuse: 'valid' },
    declineForged: { kind: 'decline', excuse: 'forged' },
    declineNone: { kind: 'decline', excuse: 'none' },
    disconnect: { kind: 'disconnect', after: 'accept' },
    garbage: { kind: 'garbage', after: 'initial-request', count: 3 },
    silent: { kind: 'silent', after: 'initial-request' },
  };
  const names = Object.keys(behaviours);
  let horde: SimulatedHorde;
  let db: Awaited<ReturnType<typeof migratedPostgres>>;
  let report: BatchReport;
  let jobs: Map<string, SyntheticJob>;
  let batchWallMs: number;
  const live: LiveEvent[] = [];

  beforeAll(async () => {
    await cryptoWaitReady();
    db = await migratedPostgres();
    horde = await startSimulatedHorde({
      miners: names.map((n) => ({ executors: [{ executorClass: 'always_on.gpu-24gb' as const, behaviour: behaviours[n] }], excuseSigners: [excuseSigner()] })),
      defaults: { runners: [new HashcatRunner()] },
    });
    await registerHorde(db.dataSource, horde);
    const s = syntheticServices(db.dataSource);
    await s.dynamic.set('DYNAMIC_EXCUSED_SYNTHETIC_JOB_SCORE', '1.337');
    const batch = await s.runner.createBatch(1000, { shouldBeScored: false });
    s.live.events$.subscribe((e) => live.push(e));
    const t0 = Date.now();
    report = await s.runner.runBatch(batch.id, {
      // The excuse signer is an active validator with enough stake (raw comparison, as the reference).
      activeValidators: [{ hotkey: excuseSigner().address, stake: 40_000n }],
    });
    batchWallMs = Date.now() - t0;
    const rows = await db.dataSource.getRepository(SyntheticJob).find({ relations: { miner: true } });
    jobs = new Map(rows.map((r) => [names[horde.miners.findIndex((m) => m.hotkey === r.miner.hotkey)], r]));
  });

  afterAll(async () => {
    await horde?.stop();
    await db?.close();
  });

  it('the final status of each job went to the live feed with its miner, class, comment and batch', () => {
    const statuses = live.flatMap((e) => (e.kind === 'job_status' ? [e] : []));
    expect(statuses).toHaveLength(jobs.size);
    for (const j of jobs.values()) {
      expect(statuses).toContainEqual(expect.objectContaining({
        jobKind: 'synthetic', jobUuid: j.jobUuid, minerHotkey: j.miner.hotkey, executorClass: j.executorClass, status: j.status, comment: j.comment, batchId: String(j.batchId),
      }));
    }
  });

  it('every miner got exactly one job row, each ended with a final status and a comment', () => {
    expect(jobs.size).toBe(names.length);
    for (const j of jobs.values()) {
      expect(['COMPLETED', 'FAILED', 'EXCUSED']).toContain(j.status);
      expect(j.comment).not.toBe('');
    }
  });

  it('honest and slow miners complete with score 1; their answers were checked', () => {
    for (const n of ['honest', 'slow']) {
      expect(jobs.get(n)).toMatchObject({ status: 'COMPLETED', score: 1, failureKind: null });
    }
  });

  it('wrong answer: FAILED, 0, comment names the mismatch', () => {
    const j = jobs.get('wrong') as SyntheticJob;
    expect(j).toMatchObject({ status: 'FAILED', score: 0, failureKind: 'WRONG_ANSWER' });
    expect(j.comment).toMatch(/^result does not match expected answer: /);
  });

  it('busy decline with a valid excuse: EXCUSED with the excused score; forged or missing excuse: FAILED', () => {
    expect(jobs.get('declineValid')).toMatchObject({ status: 'EXCUSED', score: 1.337, comment: 'excused (pass)' });
    expect(jobs.get('declineForged')).toMatchObject({ status: 'FAILED', score: 0, comment: 'badly excused (fail)', failureKind: 'BADLY_EXCUSED' });
    expect(jobs.get('declineNone')).toMatchObject({ status: 'FAILED', score: 0, comment: 'badly excused (fail)' });
  });

  it('disconnecting, garbage-sending and silent miners: FAILED, 0, timed out', () => {
    for (const n of ['disconnect', 'garbage', 'silent']) {
      const j = jobs.get(n) as SyntheticJob;
      expect(j.status).toBe('FAILED');
      expect(j.score).toBe(0);
      expect(j.comment).toMatch(/^timed out/);
    }
  });

  it('bad miners cost only their stage deadlines: the batch ends in seconds', () => {
    // always_on.gpu-24gb: the accept/ready stage is bounded by max(2, 3 s); the slow miner adds ~1.4 s.
    expect(batchWallMs).toBeLessThan(15_000);
  });

  it('keeps the receipts it signed: started for every job, accepted and finished for the ones that got that far', () => {
    const honest = jobs.get('honest') as SyntheticJob;
    expect(honest.receipts.map((r) => r.receiptType)).toEqual(['JobStartedReceipt', 'JobAcceptedReceipt', 'JobFinishedReceipt']);
    const finished = honest.receipts[2];
    expect(finished.sent).toBe(true);
    expect(JSON.parse(finished.blob)).toMatchObject({ score_str: '1', block_numbers: [], receipt_type: 'JobFinishedReceipt' });
    const declined = jobs.get('declineValid') as SyntheticJob;
    expect(declined.receipts.map((r) => r.receiptType)).toEqual(['JobStartedReceipt']);
    // The honest miner stored (countersigned) our finished receipt.
    const honestMiner = horde.miners[names.indexOf('honest')].miner;
    expect(honestMiner.receipts.some((r) => r.payload.receipt_type === 'JobFinishedReceipt' && r.payload.job_uuid === honest.jobUuid)).toBe(true);
  });

  it('also stores those receipts in the receipts tables (exact blobs, validator signature only)', async () => {
    const count = async (table: string) => Number(((await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);
    // started: every job that sent its initial request (all 9); accepted: honest, slow, wrong, disconnect; finished: honest, slow, wrong.
    expect(await count('job_started_receipt')).toBe(9);
    expect(await count('job_finished_receipt')).toBe(3);
    const honest = jobs.get('honest') as SyntheticJob;
    const [row] = (await db.dataSource.query(`SELECT payload_blob, validator_signature, miner_signature FROM job_finished_receipt WHERE job_uuid = $1`, [honest.jobUuid])) as { payload_blob: string; validator_signature: string; miner_signature: string | null }[];
    expect(row).toEqual({ payload_blob: honest.receipts[2].blob, validator_signature: honest.receipts[2].validatorSignature, miner_signature: null });
  });

  it('stores one per-batch manifest row per miner with online = successful or excused jobs', async () => {
    const rows = await db.dataSource.getRepository(MinerManifest).find({ relations: { miner: true } });
    expect(rows).toHaveLength(names.length);
    const online = Object.fromEntries(rows.map((r) => [names[horde.miners.findIndex((m) => m.hotkey === r.miner.hotkey)], r.onlineExecutorCount]));
    expect(online).toMatchObject({ honest: 1, slow: 1, declineValid: 1, wrong: 0, silent: 0 });
  });

  it('records events: success, excused (with excused_by), rejected, telemetry', async () => {
    const events = await db.dataSource.getRepository(SystemEvent).find();
    const count = (type: string, subtype: string) => events.filter((e) => e.type === type && e.subtype === subtype).length;
    expect(count('MINER_SYNTHETIC_JOB_SUCCESS', 'SUCCESS')).toBe(2);
    expect(count('MINER_SYNTHETIC_JOB_FAILURE', 'JOB_REJECTED')).toBe(2);
    expect(count('MINER_SYNTHETIC_JOB_FAILURE', 'FAILURE')).toBe(1);
    const excused = events.find((e) => e.subtype === 'JOB_EXCUSED');
    expect(excused?.data.excused_by).toEqual([excuseSigner().address]);
    expect(count('VALIDATOR_TELEMETRY', 'SYNTHETIC_JOB')).toBe(9);
    expect(events.filter((e) => e.subtype === 'CHECKPOINT').map((e) => e.longDescription)).toEqual([
      'BATCH_BEGIN', '_multi_get_miner_manifest', '_limit_non_peak_executors_per_class', '_generate_jobs', '_multi_send_initial_job_request',
      '_trigger_job_execution', '_download_llm_prompts_answers', '_score_jobs', '_send_job_finished_receipts', 'BATCH_END',
    ]);
    const telemetry = events.find((e) => e.subtype === 'SYNTHETIC_BATCH');
    expect((telemetry?.data.counts as { jobs: unknown }).jobs).toEqual({ total: 9, failed: 6, successful: 2, excused: 1, correct: 2, incorrect: 1 });
  });

  it('the report has one row per miner with the failure reasons', () => {
    expect(report.jobs).toBe(9);
    const byMiner = new Map(report.rows.map((r) => [r.minerHotkey, r]));
    const row = (n: string) => byMiner.get(horde.miners[names.indexOf(n)].hotkey);
    expect(row('honest')).toMatchObject({ sent: 1, completed: 1, failed: 0 });
    expect(row('wrong')?.reasons).toEqual({ WRONG_ANSWER: 1 });
    expect(row('declineValid')).toMatchObject({ excused: 1 });
  });

  it('debug-run-synthetic-job-to-miner runs one miner and prints its row; an unknown hotkey exits 1', async () => {
    const s = syntheticServices(db.dataSource);
    const chain = { currentBlock: async () => 2000 } as unknown as SyntheticChainReader;
    const command = new DebugRunSyntheticJobToMinerCommand(chain, s.runner, s.miners);
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
    const errWrite = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await command.run([], { minerHotkey: horde.miners[0].hotkey });
      await command.run([], { minerHotkey: '5NoSuchMiner' });
    } finally {
      write.mockRestore();
      errWrite.mockRestore();
    }
    expect(out[0]).toMatch(/at block 2000: 1 miner\(s\), 1 job\(s\)/);
    expect(out[0].split('\n').find((l) => l.includes(horde.miners[0].hotkey))).toMatch(/always_on\.gpu-24gb\s*│\s*1\s*│\s*1\s*│/);
    expect(out[1]).toBe('Miner with hotkey 5NoSuchMiner not found\n');
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  });

  it('the miner rows were not touched', async () => {
    expect(await db.dataSource.getRepository(Miner).count()).toBe(names.length);
  });
});
