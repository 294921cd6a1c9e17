import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { LocalChain, devnetSeed } from '../chain/local-chain';
import { startSimulatedHorde, SimulatedHorde } from '../miners/horde';
import { randomUUID } from 'node:crypto';
import { DEVNET_ECHO_HASH_IMAGE, echoHashAnswer } from '../miners/echo-hash.runner';
import { SimulatedFacilitator } from '../facilitator/simulated-facilitator';
import { JsonObject } from '../../protocol/facilitator/json-tree';
import { startDaemonProcess, DaemonProcess } from './daemon-process';
import { planDemoMiners, DemoMinerPlan } from './demo-miners';
import { renderTable } from '../../common/table';

export interface DemoOptions {
  miners: number;
  executorsPerMiner: number;
  /** Cycles to run after the validator is up (each is 2 × (tempo + 1) blocks). */
  cycles: number;
  tempo: number;
  commitReveal: boolean;
  blockIntervalMs: number;
  organicJobIntervalMs: number;
  timeoutMs: number;
  chainSpec?: string;
  log: (line: string) => void;
  /** Called with the daemon's URL after the run, before anything stops (tests look at the status page). */
  inspect?: (daemonUrl: string) => Promise<void>;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  miners: 16,
  executorsPerMiner: 2,
  cycles: 2,
  tempo: 10,
  commitReveal: true,
  blockIntervalMs: 500,
  organicJobIntervalMs: 3000,
  timeoutMs: 280_000,
  log: (line) => process.stdout.write(`${line}\n`),
};

export interface DemoMinerResult {
  uid: number;
  hotkey: string;
  behaviour: string;
  honest: boolean;
  syntheticCompleted: number;
  syntheticExcused: number;
  syntheticFailed: number;
  organicCompleted: number;
  organicOther: number;
  score: number | null;
  onChainWeight: number;
}

export interface DemoResult {
  ok: boolean;
  reason: string;
  durationMs: number;
  cyclesCompleted: number;
  batchesRun: number;
  organicSent: number;
  organicCompleted: number;
  weightsStatus: string | null;
  /** Final status of each organic job as the facilitator saw it, counted, e.g. "completed × 5". */
  organicOutcomes: string[];
  miners: DemoMinerResult[];
  table: string;
  daemonLog: string;
}

type Row = Record<string, unknown>;
interface StatusJson {
  batches: { batch: Row; miners: Row[] }[];
  lastWeights: Row | null;
  miners: Row[];
}

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
 * The whole validator on one machine: a real subtensor runtime in-process, a subnet with fast
 * hyperparameters, simulated miners with mixed behaviours serving their axons, a simulated
 * facilitator, and the real validator daemon as a child process on an embedded database.
 */
export async function runDemo(partial: Partial<DemoOptions> = {}): Promise<DemoResult> {
  const o: DemoOptions = { ...DEFAULT_DEMO_OPTIONS, ...partial };
  const started = Date.now();
  const t = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s]`;
  const say = (line: string) => o.log(`${t()} ${line}`);
  const work = mkdtempSync(join(tmpdir(), 'chv-demo-'));
  // The daemon's embedded PostgreSQL lives in work/data; run as root, the server's `postgres` user must enter it.
  chmodSync(work, 0o755);
  const host = '127.0.0.2';
  let horde: SimulatedHorde | undefined;
  let chain: LocalChain | undefined;
  let facilitator: SimulatedFacilitator | undefined;
  let daemon: DaemonProcess | undefined;
  let organicTimer: NodeJS.Timeout | undefined;
  const organicJobs: string[] = [];
  try {
    const plans = planDemoMiners(o.miners, o.executorsPerMiner, host);
    horde = await startSimulatedHorde({ miners: plans.map((p) => p.spec) });
    say(`${o.miners} simulated miners listening on ${host} (${[...new Set(plans.map((p) => p.label))].join(', ')})`);

    say('starting the local subtensor runtime (chopsticks) and creating a subnet ...');
    chain = await LocalChain.start({
      chainSpec: o.chainSpec,
      log: say,
      miners: o.miners,
      minerAxons: horde.miners.map((m) => ({ host, port: m.port })),
      minerSeed: (i) => devnetSeed(`miner-${i}`),
      ownMinerColdkeys: true,
      hyperparameters: { tempo: o.tempo },
    });
    if (o.commitReveal) await chain.setCommitReveal(true);
    const head0 = await chain.head();
    say(`subnet ${chain.netuid} ready at block ${head0}: validator uid 0, miners uid 1..${o.miners}, tempo ${o.tempo}, commit-reveal ${o.commitReveal ? 'on' : 'off'}`);

    const validatorEnv = await chain.validatorEnv(join(work, 'wallets'));
    const validatorSs58 = chain.validator.address;
    facilitator = await new SimulatedFacilitator({ validators: [validatorSs58], sdkSigner: chain.validator }).start();
    const facilitatorUrl = `ws://127.0.0.1:${facilitator.port}/ws/v0/`;
    say(`simulated facilitator on ${facilitatorUrl}`);

    const interval = 2 * (o.tempo + 1);
    const httpPort = await freePort();
    chain.startBlockProducer(o.blockIntervalMs);
    say(`producing a block every ${o.blockIntervalMs} ms; starting the validator daemon (embedded database) ...`);
    daemon = await startDaemonProcess({
      httpPort,
      logPath: join(work, 'validator.log'),
      env: {
        ...validatorEnv,
        DATA_DIR: join(work, 'data'),
        FACILITATOR_URI: facilitatorUrl,
        STATS_COLLECTOR_URL: '',
        LOG_LEVEL: 'info',
        DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL: String(interval),
        DYNAMIC_COMMIT_REVEAL_COMMIT_START_OFFSET: String(o.tempo + 1),
        DYNAMIC_COMMIT_REVEAL_COMMIT_END_BUFFER: '3',
        DYNAMIC_COMMIT_REVEAL_REVEAL_END_BUFFER: '2',
        DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED: 'true',
        // a devnet's one-second blocks: check weights every 3 s, batch early in each 22-block cycle,
        // and give simulated executors seconds (not the reference's minutes) per stage
        DEBUG_SET_SCORES_SECOND: '*/3',
        SYNTHETIC_JOBS_RUN_OFFSET: '2',
        DEBUG_SYNTHETIC_TIMINGS: 'devnet',
        DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: 'devnet',
      },
    });
    say(`validator daemon healthy at ${daemon.url} (status page: ${daemon.url}/, log: ${daemon.logPath})`);

    await facilitator.waitForConnection(validatorSs58, 60_000).then(
      () => say('validator connected to the facilitator'),
      () => say('validator did not connect to the facilitator (organic jobs will not run)'),
    );
    // Like the real facilitator, which cross-checks results on a trusted miner: a completed job whose
    // output is not what the inputs give is reported as cheated (the validator blacklists the miner
    // and drops the job from scoring).
    const expectedStdout = new Map<string, string>();
    let cheatReports = 0;
    facilitator.on('status', (rec: { uuid: string; status: string; metadata: Record<string, unknown> | null }) => {
      if (rec.status !== 'completed' || !facilitator) return;
      const response = rec.metadata?.miner_response as { docker_process_stdout?: string } | undefined;
      const expected = expectedStdout.get(rec.uuid);
      if (expected !== undefined && response?.docker_process_stdout !== expected) {
        cheatReports++;
        const details = new JsonObject();
        details.set('reason', 'output differs from the trusted result');
        facilitator.reportCheated(validatorSs58, rec.uuid, randomUUID(), details);
      }
    });
    const sendOrganic = () => {
      if (!facilitator) return;
      const args = ['demo', String(organicJobs.length)];
      const uuid = facilitator.submitJob(validatorSs58, {
        executorClass: 'spin_up-4min.gpu-24gb',
        dockerImage: DEVNET_ECHO_HASH_IMAGE,
        args,
        limits: { download: 5, execution: 10, upload: 5, streaming: 5 },
      });
      expectedStdout.set(uuid, echoHashAnswer(args, new Map()));
      organicJobs.push(uuid);
    };
    sendOrganic();
    organicTimer = setInterval(sendOrganic, o.organicJobIntervalMs);

    const startHead = await chain.head();
    const targetHead = startHead + o.cycles * interval;
    let status: StatusJson | undefined;
    let lastLine = '';
    const deadline = started + o.timeoutMs;
    let done = false;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      const head = await chain.head();
      status = await fetchStatus(daemon.url);
      const batches = status?.batches.length ?? 0;
      const weightsStatus = status?.lastWeights ? String(status.lastWeights.status) : 'none';
      const outcomes = organicOutcomes(facilitator, organicJobs);
      const line = `block ${head} (cycle ${Math.floor((head - startHead) / interval) + 1}/${o.cycles}) · batches run: ${batches} · organic jobs: ${organicJobs.length} sent${outcomes.length ? `, ${outcomes.join(', ')}` : ''} · weights: ${weightsStatus}`;
      if (line !== lastLine) say(`${line}${cheatReports ? ` · cheat reports: ${cheatReports}` : ''}`);
      lastLine = line;
      const landed = weightsStatus === 'revealed' || (!o.commitReveal && weightsStatus === 'set');
      if (head >= targetHead && landed) {
        done = true;
        break;
      }
    }
    clearInterval(organicTimer);
    organicTimer = undefined;
    if (o.inspect) await o.inspect(daemon.url);
    const onChain = await readOnChainWeights(chain);
    const result = summarise(plans, status, onChain, facilitator, organicJobs);
    const weightsStatus = status?.lastWeights ? String(status.lastWeights.status) : null;
    const cyclesCompleted = Math.floor(((await chain.head()) - startHead) / interval);
    return {
      ok: done,
      reason: done ? 'weights committed and revealed on chain' : `stopped after ${Math.round(o.timeoutMs / 1000)} s: weights ${weightsStatus ?? 'never computed'}`,
      durationMs: Date.now() - started,
      cyclesCompleted,
      batchesRun: status?.batches.length ?? 0,
      organicSent: organicJobs.length,
      organicCompleted: facilitator.statuses.filter((s) => s.status === 'completed').length,
      weightsStatus,
      organicOutcomes: organicOutcomes(facilitator, organicJobs),
      miners: result,
      table: renderTable(
        ['uid', 'hotkey', 'behaviour', 'synthetic ok', 'excused', 'failed', 'organic ok', 'organic other', 'score', 'weight on chain'],
        result.map((m) => [m.uid, `${m.hotkey.slice(0, 10)}…`, m.behaviour, m.syntheticCompleted, m.syntheticExcused, m.syntheticFailed, m.organicCompleted, m.organicOther, m.score === null ? '' : m.score.toFixed(4), m.onChainWeight]),
      ),
      daemonLog: daemon.logPath,
    };
  } finally {
    if (organicTimer) clearInterval(organicTimer);
    chain?.stopBlockProducer();
    await daemon?.stop().catch(() => undefined);
    await facilitator?.close().catch(() => undefined);
    await horde?.stop().catch(() => undefined);
    await chain?.stop().catch(() => undefined);
  }
}

/** Final statuses of the organic jobs, counted, with the reason the validator gave when it failed. */
function organicOutcomes(facilitator: SimulatedFacilitator, jobs: string[]): string[] {
  const counts = new Map<string, number>();
  for (const uuid of jobs) {
    const final = [...facilitator.statuses].reverse().find((s) => s.uuid === uuid && ['completed', 'failed', 'rejected'].includes(s.status));
    if (!final) continue;
    const comment = final.metadata && typeof final.metadata.comment === 'string' ? ` (${final.metadata.comment.slice(0, 60)})` : '';
    const key = `${final.status}${final.status === 'completed' ? '' : comment}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} × ${n}`);
}

async function fetchStatus(url: string): Promise<StatusJson | undefined> {
  try {
    const res = await fetch(`${url}/status.json`, { signal: AbortSignal.timeout(5000) });
    return res.ok ? ((await res.json()) as StatusJson) : undefined;
  } catch {
    return undefined;
  }
}

/** `Weights(netuid, validator uid 0)` as uid → u16 weight. */
async function readOnChainWeights(chain: LocalChain): Promise<Map<number, number>> {
  const raw = await chain.api.query.subtensorModule.weights(chain.netuid, 0);
  const pairs = raw.toJSON() as [number, number][];
  return new Map(pairs.map(([uid, w]) => [uid, w]));
}

function summarise(plans: DemoMinerPlan[], status: StatusJson | undefined, onChain: Map<number, number>, _f: SimulatedFacilitator, _jobs: string[]): DemoMinerResult[] {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return plans.map((p) => {
    const hotkey = keyring.addFromSeed(devnetSeed(`miner-${p.index}`)).address;
    const row = status?.miners.find((m) => m.hotkey === hotkey);
    const uid = row?.uid === undefined || row.uid === null ? p.index + 1 : Number(row.uid);
    return {
      uid,
      hotkey,
      behaviour: p.label,
      honest: p.honest,
      syntheticCompleted: Number(row?.synthetic_completed ?? 0),
      syntheticExcused: Number(row?.synthetic_excused ?? 0),
      syntheticFailed: Number(row?.synthetic_failed ?? 0),
      organicCompleted: Number(row?.organic_completed ?? 0),
      organicOther: Number(row?.organic_not_completed ?? 0),
      score: row?.score === null || row?.score === undefined ? null : Number(row.score),
      onChainWeight: onChain.get(uid) ?? 0,
    };
  });
}
