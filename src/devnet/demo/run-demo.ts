import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { LocalChain, devnetSeed } from '../chain/local-chain';
import { LocalRuntime, runtimeFromEnv } from '../chain/runtimes';
import { startSimulatedHorde, SimulatedHorde } from '../miners/horde';
import { randomBytes, randomUUID } from 'node:crypto';
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
  /** Subtensor runtime: 293 (default; weights as drand-timelocked commits the chain reveals) or 218 (hash commit-reveal). */
  runtime: LocalRuntime;
  commitReveal: boolean;
  blockIntervalMs: number;
  organicJobIntervalMs: number;
  timeoutMs: number;
  chainSpec?: string;
  /** Extra environment for the validator daemon (tests: e.g. DYNAMIC_RECEIPT_TRANSFER_ENABLED). */
  daemonEnv?: Record<string, string>;
  log: (line: string) => void;
  /** Called with the daemon's URL and status-page token after the run, before anything stops (tests look at the status page). */
  inspect?: (daemonUrl: string, statusToken: string) => Promise<void>;
  /**
   * Started as soon as the daemon is healthy and run alongside the demo (tests scrape /metrics and
   * watch the status page while batches, weights and organic jobs happen); awaited before the
   * inspection. `done` aborts when the demo's own loop ends.
   */
  during?: (ctx: { daemonUrl: string; statusToken: string; done: AbortSignal; chainHead: () => Promise<number> }) => Promise<void>;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  miners: 16,
  executorsPerMiner: 2,
  cycles: 2,
  tempo: 10,
  runtime: runtimeFromEnv(),
  commitReveal: true,
  blockIntervalMs: 500,
  organicJobIntervalMs: 3000,
  // chain setup on runtime 293 takes 60-105 s on a loaded 2-core machine, and a run 230-270 s in all
  timeoutMs: 420_000,
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
  /** How the last weights went on chain: set_weights, commit_reveal (hash) or timelocked. */
  weightsMode: string | null;
  runtime: LocalRuntime;
  /** Final status of each organic job as the facilitator saw it, counted, e.g. "completed × 5". */
  organicOutcomes: string[];
  miners: DemoMinerResult[];
  table: string;
  daemonLog: string;
}

/** The parts of the daemon's /status.json (with the token) that the demo reads. */
interface StatusJson {
  batches: { ok: boolean; value?: { state: string }[] };
  weights: { ok: boolean; value?: { status: string; how: string; mode: string }[] };
  details?: {
    miners: {
      ok: boolean;
      value?: {
        uid: number;
        hotkey: string;
        history: ({ completed: number; excused: number; failed: number } | null)[];
        organic24h: { completed: number; other: number } | null;
        score: number | null;
      }[];
    };
  };
}

function batchesRun(status: StatusJson | undefined): number {
  return (status?.batches.value ?? []).filter((b) => b.state === 'done').length;
}

function newestWeightsStatus(status: StatusJson | undefined): string | null {
  return status?.weights.value?.[0]?.status ?? null;
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
  // The status page's details need a token: a fresh one per demo, in a file beside the daemon's log.
  const statusToken = randomBytes(24).toString('hex');
  const tokenPath = join(work, 'status-token');
  writeFileSync(tokenPath, `${statusToken}\n`, { mode: 0o600 });
  const duringDone = new AbortController();
  let during: Promise<void> | undefined;
  try {
    const plans = planDemoMiners(o.miners, o.executorsPerMiner, host);
    horde = await startSimulatedHorde({ miners: plans.map((p) => p.spec) });
    say(`${o.miners} simulated miners listening on ${host} (${[...new Set(plans.map((p) => p.label))].join(', ')})`);

    say('starting the local subtensor runtime (chopsticks) and creating a subnet ...');
    chain = await LocalChain.start({
      runtime: o.runtime,
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
    // Runtime 293 has drand: weights go as timelocked commits (the subnet owner's production setting,
    // DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED=false) and the chain reveals them; 218 only has hash commit-reveal.
    const timelocked = o.commitReveal && o.runtime === 293;
    const scheme = !o.commitReveal ? 'off (set_weights)' : timelocked ? 'on, drand-timelocked commits revealed by the chain (local beacon)' : 'on, hash commit then reveal';
    say(`runtime ${o.runtime}, subnet ${chain.netuid} ready at block ${head0}: validator uid 0, miners uid 1..${o.miners}, tempo ${o.tempo}, commit-reveal ${scheme}`);

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
        STATUS_PAGE_TOKEN: statusToken,
        FACILITATOR_URI: facilitatorUrl,
        STATS_COLLECTOR_URL: '',
        LOG_LEVEL: 'info',
        DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL: String(interval),
        DYNAMIC_COMMIT_REVEAL_COMMIT_START_OFFSET: String(o.tempo + 1),
        DYNAMIC_COMMIT_REVEAL_COMMIT_END_BUFFER: '3',
        DYNAMIC_COMMIT_REVEAL_REVEAL_END_BUFFER: '2',
        DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED: timelocked ? 'false' : 'true',
        // a devnet's one-second blocks: check weights every 3 s, batch early in each 22-block cycle,
        // and give simulated executors seconds (not the reference's minutes) per stage
        DEBUG_SET_SCORES_SECOND: '*/3',
        SYNTHETIC_JOBS_RUN_OFFSET: '2',
        DEBUG_SYNTHETIC_TIMINGS: 'devnet',
        DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: 'devnet',
        ...o.daemonEnv,
      },
    });
    say(`validator daemon healthy at ${daemon.url} (status page: ${daemon.url}/ with the token in ${tokenPath}; log: ${daemon.logPath})`);
    if (o.during) {
      const c = chain;
      during = o.during({ daemonUrl: daemon.url, statusToken, done: duringDone.signal, chainHead: () => c.head() });
    }

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
      status = (await fetchStatus(daemon.url, statusToken)) ?? status;
      const batches = batchesRun(status);
      const newest = status?.weights.value?.[0];
      const weightsStatus = newest ? `${newest.status} (${newest.how})` : 'none';
      const outcomes = organicOutcomes(facilitator, organicJobs);
      const line = `block ${head} (cycle ${Math.floor((head - startHead) / interval) + 1}/${o.cycles}) · batches run: ${batches} · organic jobs: ${organicJobs.length} sent${outcomes.length ? `, ${outcomes.join(', ')}` : ''} · weights: ${weightsStatus}`;
      if (line !== lastLine) say(`${line}${cheatReports ? ` · cheat reports: ${cheatReports}` : ''}`);
      lastLine = line;
      const landed = newest?.status === 'revealed' || (!o.commitReveal && newest?.status === 'set');
      if (head >= targetHead && landed) {
        done = true;
        break;
      }
    }
    clearInterval(organicTimer);
    organicTimer = undefined;
    duringDone.abort();
    await during;
    if (o.inspect) await o.inspect(daemon.url, statusToken);
    const onChain = await readOnChainWeights(chain);
    const result = summarise(plans, status, onChain, facilitator, organicJobs);
    const weightsStatus = newestWeightsStatus(status);
    const weightsMode = status?.weights.value?.[0]?.mode ?? null;
    const landedHow = status?.weights.value?.[0]?.how === 'timelocked commit' ? 'weights revealed by the chain from timelocked commits' : 'weights committed and revealed on chain';
    const cyclesCompleted = Math.floor(((await chain.head()) - startHead) / interval);
    return {
      ok: done,
      reason: done ? (o.commitReveal ? landedHow : 'weights set on chain') : `stopped after ${Math.round(o.timeoutMs / 1000)} s: weights ${weightsStatus ?? 'never computed'}`,
      durationMs: Date.now() - started,
      cyclesCompleted,
      batchesRun: batchesRun(status),
      organicSent: organicJobs.length,
      organicCompleted: facilitator.statuses.filter((s) => s.status === 'completed').length,
      weightsStatus,
      weightsMode,
      runtime: o.runtime,
      organicOutcomes: organicOutcomes(facilitator, organicJobs),
      miners: result,
      table: renderTable(
        ['uid', 'hotkey', 'behaviour', 'synthetic ok', 'excused', 'failed', 'organic ok', 'organic other', 'score', 'weight on chain'],
        result.map((m) => [m.uid, `${m.hotkey.slice(0, 10)}…`, m.behaviour, m.syntheticCompleted, m.syntheticExcused, m.syntheticFailed, m.organicCompleted, m.organicOther, m.score === null ? '' : m.score.toFixed(4), m.onChainWeight]),
      ),
      daemonLog: daemon.logPath,
    };
  } finally {
    duringDone.abort();
    await during?.catch(() => undefined);
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

async function fetchStatus(url: string, token: string): Promise<StatusJson | undefined> {
  try {
    const res = await fetch(`${url}/status.json`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
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
    const row = status?.details?.miners.value?.find((m) => m.hotkey === hotkey);
    const uid = row ? row.uid : p.index + 1;
    const sum = (k: 'completed' | 'excused' | 'failed') => (row?.history ?? []).reduce((a, r) => a + (r ? r[k] : 0), 0);
    return {
      uid,
      hotkey,
      behaviour: p.label,
      honest: p.honest,
      syntheticCompleted: sum('completed'),
      syntheticExcused: sum('excused'),
      syntheticFailed: sum('failed'),
      organicCompleted: row?.organic24h?.completed ?? 0,
      organicOther: row?.organic24h?.other ?? 0,
      score: row?.score ?? null,
      onChainWeight: onChain.get(uid) ?? 0,
    };
  });
}
