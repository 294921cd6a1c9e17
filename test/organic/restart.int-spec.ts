import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DataSource } from 'typeorm';
import { WebSocket } from 'ws';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { createDataSource } from '../../src/database/data-source.factory';
import { startDaemonProcess, DaemonProcess } from '../../src/devnet/demo/daemon-process';
import { SimulatedFacilitator } from '../../src/devnet/facilitator/simulated-facilitator';
import { startSimulatedHorde, SimulatedHorde, DEVNET_ECHO_HASH_IMAGE } from '../../src/devnet/miners';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { until } from './harness';

const CLASS = 'always_on.gpu-24gb';
const STAGE_MS = 2500;
const STATUS_TOKEN = 'restart-suite-status-token';
/** Every status a job can be in while a miner works on it (non-streaming), in protocol order. */
const IN_FLIGHT = ['received', 'accepted', 'executor_ready', 'volumes_ready', 'execution_done'];
const END = ['completed', 'rejected', 'failed', 'horde_failed'];
const ORDER = [...IN_FLIGHT, 'streaming_ready'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Issue 15 item 1, the whole daemon as a child process against the simulated facilitator and miners
 * on PostgreSQL: organic jobs are in flight at every stage when the daemon gets SIGTERM, and again
 * when it is killed with SIGKILL; after each restart every job the facilitator sent has exactly one
 * final status, after its in-progress statuses in protocol order, and its rows agree.
 */
describe('organic jobs survive a SIGTERM and a kill -9 of the daemon', () => {
  let db: ThrowawayDatabase;
  let ds: DataSource;
  let closeDs: () => Promise<void>;
  let facilitator: SimulatedFacilitator;
  let horde: SimulatedHorde;
  let validator: KeyringPair;
  let daemon: DaemonProcess | undefined;
  let env: Record<string, string>;
  let work: string;
  const jobs: string[] = [];

  const startDaemon = async (label: string) => {
    // a test that failed half-way leaves its daemon running: only one may serve the facilitator
    if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) {
      daemon.child.kill('SIGKILL');
      await new Promise((r) => daemon!.child.once('exit', r));
    }
    daemon = await startDaemonProcess({ env, httpPort: await freePort(), logPath: join(work, `validator-${label}.log`), readyTimeoutMs: 120_000 });
    await facilitator.waitForConnection(validator.address, 60_000);
  };
  const lastStatus = (uuid: string) => facilitator.statusesOf(uuid).at(-1);
  const ended = (uuid: string) => END.includes(lastStatus(uuid) ?? '');
  /** Submits a job every 500 ms until unfinished jobs sit at every in-flight stage at once. */
  const fillEveryStage = async (): Promise<string[]> => {
    const mine: string[] = [];
    for (let i = 0; i < 60; i++) {
      const uuid = facilitator.submitJob(validator.address, {
        executorClass: CLASS, dockerImage: DEVNET_ECHO_HASH_IMAGE, args: ['job', String(jobs.length)], limits: { download: 30, execution: 30, upload: 30, streaming: 30 },
      });
      jobs.push(uuid);
      mine.push(uuid);
      await new Promise((r) => setTimeout(r, 500));
      const stages = new Set(mine.filter((u) => !ended(u)).map(lastStatus));
      if (IN_FLIGHT.every((s) => stages.has(s))) return mine;
    }
    throw new Error(`jobs never covered every stage: ${mine.map(lastStatus).join(', ')}`);
  };
  const outboxDrained = async () => {
    const [{ n }]: { n: string }[] = await ds.query(`SELECT count(*) AS n FROM facilitator_outbox WHERE acked_at IS NULL`);
    return Number(n) === 0;
  };

  beforeAll(async () => {
    await cryptoWaitReady();
    work = mkdtempSync(join(tmpdir(), 'chv-restart-'));
    const seed = new Uint8Array(32).fill(7);
    await writeBtcliWallet({ directory: join(work, 'wallets'), walletName: 'validator', hotkeyName: 'default', secret: seed });
    validator = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromSeed(seed);
    // Jobs signed by the validator's own hotkey need no whitelist row.
    facilitator = await new SimulatedFacilitator({ validators: [validator.address], sdkSigner: validator }).start();
    const slow = { kind: 'slow' as const, delaysMs: { accept: STAGE_MS, executorReady: STAGE_MS, volumesReady: STAGE_MS, executionDone: STAGE_MS, finished: STAGE_MS } };
    horde = await startSimulatedHorde({ miners: Array.from({ length: 16 }, () => ({ executors: Array.from({ length: 3 }, () => ({ executorClass: CLASS, behaviour: slow })) })) });
    db = await createThrowawayDatabase('chv_restart');
    ({ dataSource: ds, close: closeDs } = await createDataSource({ kind: 'postgres', url: db.url }));
    for (const m of horde.miners) {
      await ds.query(`INSERT INTO miner (hotkey, address, port, ip_version, in_metagraph) VALUES ($1, $2, $3, 4, true)`, [m.hotkey, m.host, m.port]);
      await ds.query(
        `INSERT INTO miner_manifest (miner_id, batch_id, executor_class, executor_count, online_executor_count) SELECT id, NULL, $2, 3, 3 FROM miner WHERE hotkey = $1`,
        [m.hotkey, CLASS]);
    }
    const closedChain = await freePort();
    env = {
      DATABASE_URL: db.url,
      BITTENSOR_NETWORK: `ws://127.0.0.1:${closedChain}`,
      BITTENSOR_WALLET_DIRECTORY: join(work, 'wallets'),
      BITTENSOR_WALLET_NAME: 'validator',
      BITTENSOR_WALLET_HOTKEY_NAME: 'default',
      FACILITATOR_URI: facilitator.url,
      STATUS_PAGE_TOKEN: STATUS_TOKEN,
      STATS_COLLECTOR_URL: '',
      LOG_LEVEL: 'info',
      ORGANIC_JOB_SHUTDOWN_GRACE_SECONDS: '4',
      DYNAMIC_EXECUTOR_RESERVATION_TIME_LIMIT: '30',
      DYNAMIC_EXECUTOR_STARTUP_TIME_LIMIT: '30',
    };
  }, 120_000);

  afterAll(async () => {
    if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGKILL');
    await facilitator?.close();
    await horde?.stop();
    await closeDs?.();
    await db?.drop();
    if (work && !process.env.KEEP_TEST_WORK) rmSync(work, { recursive: true, force: true });
  });

  it('SIGTERM with jobs at every stage: running jobs get the grace period, the rest end horde_failed, none is left open', async () => {
    await startDaemon('1');
    // The operators' live feed carries the organic job statuses.
    const feed: { kind: string; jobKind?: string; jobUuid?: string; status?: string }[] = [];
    // job statuses go to clients with the status-page token; others only hear that something changed
    const ws = new WebSocket(`${daemon!.url.replace('http', 'ws')}/ws/events`, { headers: { Authorization: `Bearer ${STATUS_TOKEN}` } });
    ws.on('message', (data) => feed.push(JSON.parse(data.toString())));
    await new Promise((r) => ws.once('open', r));
    const batch = await fillEveryStage();
    // the feed is a separate socket: let it catch up with what the facilitator already has
    const inFeed = (u: string) => feed.some((e) => e.kind === 'job_status' && e.jobKind === 'organic' && e.jobUuid === u);
    await until(async () => batch.every(inFeed) || undefined, 15_000, 'live feed caught up with the facilitator').catch((e: Error) => {
      const missing = batch.filter((u) => !inFeed(u)).map((u) => `${u}: ${facilitator.statusesOf(u).join(' > ')}`);
      throw new Error(`${e.message}; not in the feed: ${missing.join('; ')}`);
    });
    ws.close();
    for (const uuid of batch) {
      const seen = feed.filter((e) => e.kind === 'job_status' && e.jobKind === 'organic' && e.jobUuid === uuid).map((e) => e.status);
      expect([uuid, seen]).toEqual([uuid, facilitator.statusesOf(uuid).slice(0, seen.length)]);
      expect(seen[0]).toBe('received');
    }
    const stagesAtStop = new Set(batch.filter((u) => !ended(u)).map(lastStatus));
    expect(IN_FLIGHT.filter((s) => !stagesAtStop.has(s))).toEqual([]);
    const signalledAt = performance.now();
    await daemon!.stop(60_000);
    // The drain delivered every end status before the daemon exited.
    for (const uuid of batch) expect([uuid, ended(uuid)]).toEqual([uuid, true]);
    // Jobs near their end finished in the grace period (4 s; a stage takes 2.5 s); the others were stopped.
    const completedInGrace = batch.filter((u) => facilitator.statuses.some((s) => s.uuid === u && s.status === 'completed' && s.receivedAt > signalledAt));
    expect(completedInGrace.length).toBeGreaterThan(0);
    const interrupted = batch.filter((u) => lastStatus(u) === 'horde_failed');
    expect(interrupted.length).toBeGreaterThan(0);
    for (const uuid of interrupted) {
      const end = facilitator.statusesOf(uuid);
      const rec = [...facilitator.statuses].reverse().find((s) => s.uuid === uuid && s.status === 'horde_failed');
      expect(rec?.metadata).toEqual(expect.objectContaining({
        horde_failure_details: expect.objectContaining({ reported_by: 'validator', reason: 'generic_error', context: expect.objectContaining({ cause: 'validator_shutdown' }) }),
      }));
      expect(end.length).toBeGreaterThanOrEqual(2);
    }
  }, 240_000);

  it('kill -9 with jobs at every stage: after the restart every job ends horde_failed (validator_restarted)', async () => {
    await startDaemon('2');
    await until(outboxDrained, 30_000, 'updates of the first run delivered');
    const batch = await fillEveryStage();
    daemon!.child.kill('SIGKILL');
    await new Promise((r) => daemon!.child.once('exit', r));
    // statuses the daemon wrote just before it died may still be in flight: the jobs open at the kill
    // are those without an end once the facilitator has seen the connection close
    await until(async () => facilitator.connectedChannels(validator.address) === 0 || undefined, 15_000, 'facilitator saw the killed daemon leave').catch((e: Error) => {
      throw new Error(`${e.message}; channels still open: ${facilitator.connectedChannels(validator.address)}`);
    });
    const open = batch.filter((u) => !ended(u));
    expect(open.length).toBeGreaterThan(0);
    await startDaemon('3');
    await until(async () => open.every(ended) || undefined, 60_000, 'every interrupted job ended after the restart');
    for (const uuid of open) {
      const rec = [...facilitator.statuses].reverse().find((s) => s.uuid === uuid && END.includes(s.status));
      expect([uuid, rec?.status, (rec?.metadata?.horde_failure_details as { context?: { cause?: string } } | undefined)?.context?.cause])
        .toEqual([uuid, 'horde_failed', 'validator_restarted']);
    }
    // the restarted daemon serves new jobs normally
    const fresh = facilitator.submitJob(validator.address, { executorClass: CLASS, dockerImage: DEVNET_ECHO_HASH_IMAGE, args: ['after', 'restart'], limits: { download: 30, execution: 30, upload: 30, streaming: 30 } });
    jobs.push(fresh);
    expect((await facilitator.waitForEnd(fresh, 60_000)).status).toBe('completed');
  }, 300_000);

  it('every job the facilitator sent has exactly one final status, in protocol order, and rows that agree', async () => {
    await until(outboxDrained, 30_000, 'every update answered');
    const rows: { job_uuid: string; final_status: string | null; ended_at: Date | null; request: string | null; oj_status: string | null; outcome_reason: string | null }[] = await ds.query(
      `SELECT r.job_uuid, r.final_status, r.ended_at, r.request, j.status AS oj_status, j.outcome_reason
         FROM organic_job_request r LEFT JOIN organic_job j ON j.job_uuid::text = r.job_uuid`);
    const byUuid = new Map(rows.map((r) => [r.job_uuid, r]));
    const problems: string[] = [];
    for (const uuid of jobs) {
      const statuses = facilitator.statusesOf(uuid);
      const ends = statuses.filter((s) => END.includes(s));
      if (ends.length !== 1 || statuses.at(-1) !== ends[0]) problems.push(`${uuid}: ${statuses.join(' > ')}`);
      const steps = statuses.slice(0, -1).map((s) => ORDER.indexOf(s));
      if (steps.some((x, i) => x < 0 || (i > 0 && x <= steps[i - 1]))) problems.push(`${uuid}: out of order ${statuses.join(' > ')}`);
      const row = byUuid.get(uuid);
      if (statuses[0] !== 'received') continue; // refused before it was taken on (never stored)
      if (!row || row.final_status !== ends[0] || row.ended_at === null || row.request !== null) problems.push(`${uuid}: journal ${JSON.stringify(row)}`);
      else if (row.oj_status !== null && (row.oj_status === 'PENDING' || (row.oj_status === 'COMPLETED') !== (ends[0] === 'completed'))) problems.push(`${uuid}: organic_job ${row.oj_status} for ${ends[0]}`);
    }
    expect(problems).toEqual([]);
    const events: { n: string }[] = await ds.query(`SELECT count(*) AS n FROM system_event WHERE type = 'VALIDATOR_FAILURE' AND subtype = 'INTERRUPTED'`);
    expect(Number(events[0].n)).toBe(jobs.filter((u) => lastStatus(u) === 'horde_failed').length);
  }, 60_000);
});
