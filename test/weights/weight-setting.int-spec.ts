import type { DataSource } from 'typeorm';
import { Clock } from '../../src/config/clock';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import { ExclusiveRunner } from '../../src/database/exclusive-runner.service';
import type { CreatedDataSource } from '../../src/database/data-source.factory';
import { SystemEventsService } from '../../src/observability/system-events/system-events.service';
import { migratedPostgres } from '../support/postgres';
import { testConfig } from '../support/app';
import { eventsOf, insertBatch, insertCycle, insertMiner, insertSyntheticJob } from './support/seed';
import { weightsCommitHash } from '../../src/chain/weights/commit-hash';
import { SyntheticEraCycleScorer } from '../../src/weights/scoring-inputs/cycle-scorer';
import { MainHotkeyQuerier } from '../../src/weights/scoring-inputs/main-hotkey-querier';
import { MainHotkeyResolver } from '../../src/weights/scoring-inputs/main-hotkey.resolver';
import { ScoringInputsRepository } from '../../src/weights/scoring-inputs/scoring-inputs.repository';
import { WeightSettingService } from '../../src/weights/setting/weight-setting.service';
import {
  ChainBlock,
  PendingCommit,
  RevealVerdict,
  SubmitOutcome,
  TimelockedSubmitOutcome,
  TimelockRecord,
  WeightsChainPort,
  WeightsChainState,
  WeightsPayload,
} from '../../src/weights/setting/weights-chain.port';
import { WeightsStore } from '../../src/weights/setting/weights.store';

/** Time that only moves when someone sleeps (no real waiting in the submit loops). */
class SteppingClock extends Clock {
  t = Date.parse('2026-11-25T12:00:00Z');
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal) return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.t += ms;
  }
}

/** The chain edge of the round logic, scripted per test. */
class ScriptedChain extends WeightsChainPort {
  headNumber = 0;
  commitReveal = false;
  neurons = Array.from({ length: 10 }, (_, i) => ({ hotkey: `hotkey_${i}`, uid: i }));
  outcomes: (SubmitOutcome | Error)[] = [];
  sets: WeightsPayload[] = [];
  commits: { payload: WeightsPayload; salt: number[] }[] = [];
  reveals: { payload: WeightsPayload; salt: number[] }[] = [];
  pending: string[] = [];
  gate: Promise<void> = Promise.resolve();

  async head(): Promise<ChainBlock> {
    return { number: this.headNumber, hash: `0x${this.headNumber.toString(16).padStart(64, '0')}` };
  }
  async state(): Promise<WeightsChainState> {
    return { neurons: this.neurons, limits: { minAllowedWeights: 0, maxWeightsLimit: 65535 }, commitRevealEnabled: this.commitReveal };
  }
  private async next(): Promise<SubmitOutcome> {
    await this.gate;
    const o = this.outcomes.shift() ?? { ok: true, message: 'ok' };
    if (o instanceof Error) throw o;
    return o;
  }
  async setWeights(payload: WeightsPayload) {
    this.sets.push(payload);
    return this.next();
  }
  async commitWeights(payload: WeightsPayload, salt: number[]) {
    this.commits.push({ payload, salt });
    const out = await this.next();
    if (out.ok) this.pending.push(this.commitHash(payload, salt));
    return out;
  }
  async revealWeights(payload: WeightsPayload, salt: number[]) {
    this.reveals.push({ payload, salt });
    const out = await this.next();
    if (out.ok) this.pending = this.pending.filter((h) => h !== this.commitHash(payload, salt));
    return out;
  }
  /** Reveal range the chain reports for every pending commit (the whole test timeline by default). */
  revealRange = { firstRevealBlock: 0, lastRevealBlock: 1_000_000 };
  async pendingCommits(): Promise<PendingCommit[]> {
    if (this.pendingCheckError) throw this.pendingCheckError;
    return this.pending.map((commitHash) => ({ commitHash, ...this.revealRange }));
  }
  commitHash(p: WeightsPayload, salt: number[]): string {
    return weightsCommitHash(new Uint8Array(32), 12, p, salt, p.versionKey);
  }
  /** Timelocked commits sent, their records, and what the chain says afterwards. */
  timelocked: { payload: WeightsPayload; record: TimelockRecord }[] = [];
  queued: TimelockRecord[] = [];
  pendingCheckError: Error | undefined;
  verdict: RevealVerdict = { state: 'applied', block: 0, weightsMatch: true, detail: 'TimelockedWeightsRevealed in block 0' };
  verdictsAsked: TimelockRecord[] = [];
  /** A commit made at head h is revealed in blocks h+10..h+12 (round h+1000). */
  async commitTimelocked(payload: WeightsPayload, onPlan: (r: TimelockRecord) => Promise<void>): Promise<TimelockedSubmitOutcome> {
    const h = this.headNumber;
    const record: TimelockRecord = { path: 'commit_crv3_weights', revealRound: h + 1000, commitEpoch: h, firstRevealBlock: h + 10, lastRevealBlock: h + 12 };
    await onPlan(record);
    this.timelocked.push({ payload, record });
    const out = await this.next();
    if (!out.ok) return out;
    this.queued.push(record);
    return { ok: true, message: 'in block', record, block: h + 1 };
  }
  async timelockedQueued(r: TimelockRecord): Promise<boolean> {
    if (this.pendingCheckError) throw this.pendingCheckError;
    return this.queued.some((q) => q.revealRound === r.revealRound && q.commitEpoch === r.commitEpoch);
  }
  async checkTimelockedReveal(r: TimelockRecord): Promise<RevealVerdict> {
    this.verdictsAsked.push(r);
    return this.verdict;
  }
}

class NoMainHotkeys extends MainHotkeyQuerier {
  async query() {
    return new Map();
  }
}

let created: CreatedDataSource;
let ds: DataSource;
let chain: ScriptedChain;
let clock: SteppingClock;
let service: WeightSettingService;
let dynamic: DynamicConfigService;

function build(): WeightSettingService {
  const config = testConfig();
  dynamic = new DynamicConfigService(ds, config, clock);
  const inputs = new ScoringInputsRepository(ds);
  const scorer = new SyntheticEraCycleScorer(inputs, new MainHotkeyResolver(inputs, new NoMainHotkeys()), dynamic);
  const s = new WeightSettingService(chain, scorer, inputs, new WeightsStore(ds, inputs), new SystemEventsService(ds), dynamic, new ExclusiveRunner(ds), clock);
  s.timings = { ...s.timings, attemptTimeoutMs: 60_000 };
  return s;
}

beforeAll(async () => {
  created = await migratedPostgres();
  ds = created.dataSource;
});
afterAll(async () => {
  await created.close();
});

/** test_set_scores.py setup: hotkey_0..4 miners without coldkeys, one COMPLETED job each, batch of Cycle(722c, 722(c+1)). */
async function seedCycle(c: number, scores: Record<number, number> = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4 }) {
  const minerIds: string[] = [];
  for (let i = 0; i < 5; i++) {
    const existing = (await ds.query(`SELECT id::text AS id FROM miner WHERE hotkey = $1`, [`hotkey_${i}`])) as { id: string }[];
    minerIds.push(existing[0]?.id ?? (await insertMiner(ds, { hotkey: `hotkey_${i}`, uid: i })));
  }
  const cycleId = await insertCycle(ds, 722 * c, 722 * (c + 1));
  const batchId = await insertBatch(ds, { block: 722 * c + 30, cycleId, startedAt: clock.nowDate() });
  for (const [i, s] of Object.entries(scores)) await insertSyntheticJob(ds, { minerId: minerIds[Number(i)], batchId, score: s });
  return batchId;
}

beforeEach(async () => {
  await ds.query(`TRUNCATE weights, miner_main_hotkey, synthetic_job, synthetic_job_batch, cycle, organic_job, miner, system_event, dynamic_config RESTART IDENTITY CASCADE`);
  chain = new ScriptedChain();
  clock = new SteppingClock();
  service = build();
  await dynamic.set('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'spin_up-4min.gpu-24gb=100');
});

const kinds = async () => (await eventsOf(ds)).map((e) => `${e.type}/${e.subtype}`);

describe('set_scores gating (scoring-synthetic-era.md §9.8)', () => {
  test('head 361 with no batch: nothing happens, no event', async () => {
    chain.headNumber = 361;
    expect((await service.setScores()).outcome).toBe('no-batch');
    expect(await kinds()).toEqual([]);
  });

  test('head 359 before the window [361, 707): nothing happens, no event', async () => {
    await seedCycle(0);
    chain.headNumber = 359;
    expect((await service.setScores()).outcome).toBe('outside-window');
    expect(await kinds()).toEqual([]);
  });

  test.each([723, 999, 1082, 1430, 1443])('head %i is outside [1083, 1429): nothing committed', async (head) => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = head;
    expect((await service.setScores()).outcome).toBe('outside-window');
    expect(chain.commits).toEqual([]);
    expect(await ds.query(`SELECT * FROM weights`)).toEqual([]);
    expect(await kinds()).toEqual([]);
  });

  test('SERVING=false: nothing happens', async () => {
    await seedCycle(0);
    await dynamic.set('SERVING', 'false');
    chain.headNumber = 1084;
    expect((await service.setScores()).outcome).toBe('not-serving');
  });
});

describe('direct set_weights (subnet commit-reveal off)', () => {
  test('one round: weights set with version key 2, stored, batch scored, 2 events', async () => {
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
    const batchId = await seedCycle(0);
    chain.headNumber = 723;
    const result = await service.setScores();
    expect(result.outcome).toBe('set');
    expect(chain.sets).toEqual([{ uids: [1, 2, 3, 4], values: [16384, 32768, 49151, 65535], versionKey: 2n }]);
    expect(await kinds()).toEqual(['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_SUCCESS/SET_WEIGHTS_SUCCESS']);
    const [row] = (await ds.query(`SELECT status, mode, uids, weights, version_key::int AS vk, cycle_start::int AS cs FROM weights`)) as Record<string, unknown>[];
    expect(row).toEqual({ status: 'set', mode: 'set_weights', uids: [1, 2, 3, 4], weights: [16384, 32768, 49151, 65535], vk: 2, cs: 0 });
    expect((await ds.query(`SELECT scored FROM synthetic_job_batch WHERE id = $1`, [batchId]))[0].scored).toBe(true);

    // The next minute: the batch is scored, nothing more happens.
    chain.headNumber = 724;
    expect((await service.setScores()).outcome).toBe('no-batch');
    expect(chain.sets).toHaveLength(1);
  });

  test('failing with 1 attempt: burning, SET_WEIGHTS_ERROR, GIVING_UP', async () => {
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
    await seedCycle(0);
    service.timings = { ...service.timings, attempts: 1 };
    chain.outcomes = [{ ok: false, message: 'subtensorModule.SettingWeightsTooFast' }];
    chain.headNumber = 723;
    expect((await service.setScores()).outcome).toBe('failed');
    expect(await kinds()).toEqual(['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_FAILURE/SET_WEIGHTS_ERROR', 'WEIGHT_SETTING_FAILURE/GIVING_UP']);
    const giveUp = (await eventsOf(ds))[2];
    expect(giveUp.data).toEqual({ try_number: 1, operation: 'setting/committing' });
    // Like the reference, the cycle is not retried.
    expect((await service.setScores()).outcome).toBe('no-batch');
  });

  test('failing twice then succeeding with 3 attempts: 2 errors, success, burning; 5 s backoff between', async () => {
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
    await seedCycle(0);
    service.timings = { ...service.timings, attempts: 3 };
    chain.outcomes = [{ ok: false, message: 'boom 1' }, { ok: false, message: 'boom 2' }];
    chain.headNumber = 723;
    const t0 = clock.now();
    expect((await service.setScores()).outcome).toBe('set');
    expect(clock.now() - t0).toBe(10_000);
    expect((await kinds()).sort()).toEqual(
      ['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_FAILURE/SET_WEIGHTS_ERROR', 'WEIGHT_SETTING_FAILURE/SET_WEIGHTS_ERROR', 'WEIGHT_SETTING_SUCCESS/SET_WEIGHTS_SUCCESS'].sort(),
    );
    expect((await ds.query(`SELECT attempts FROM weights`))[0].attempts).toBe(3);
  });

  test('an attempt that times out records WRITING_TO_CHAIN_TIMEOUT, then GIVING_UP', async () => {
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
    await seedCycle(0);
    service.timings = { ...service.timings, attempts: 1, attemptTimeoutMs: 5 };
    chain.outcomes = [{ ok: false, timeout: true, message: 'no inclusion' }];
    chain.headNumber = 723;
    expect((await service.setScores()).outcome).toBe('failed');
    expect(await kinds()).toEqual(['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_FAILURE/WRITING_TO_CHAIN_TIMEOUT', 'WEIGHT_SETTING_FAILURE/GIVING_UP']);
  });

  test('five concurrent runs: exactly one round', async () => {
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
    await seedCycle(1);
    chain.headNumber = 1234 + 722;
    const results = await Promise.all([0, 1, 2, 3, 4].map(() => service.setScores()));
    expect(results.filter((r) => r.outcome === 'set')).toHaveLength(1);
    expect(chain.sets).toHaveLength(1);
    expect(await kinds()).toHaveLength(2);
  });
});

describe('hash commit and reveal (subnet commit-reveal on)', () => {
  test('worked row: cycle 1, burn 0.9/0.9 to hotkey_1,hotkey_2 -> exact u16 commit, Weights row, 2 events', async () => {
    await seedCycle(1, { 0: 70, 3: 70, 4: 100 });
    await dynamic.set('DYNAMIC_BURN_TARGET_SS58ADDRESSES', 'hotkey_1,hotkey_2');
    await dynamic.set('DYNAMIC_BURN_RATE', '0.9');
    await dynamic.set('DYNAMIC_BURN_PARTITION', '0.9');
    chain.commitReveal = true;
    chain.headNumber = 1084 + 722;
    const result = await service.setScores();
    expect(result.outcome).toBe('committed');
    const { payload, salt } = chain.commits[0];
    expect(Object.fromEntries(payload.uids.map((u, i) => [u, payload.values[i]]))).toEqual({ 0: 2360, 1: 65535, 2: 7282, 3: 2360, 4: 3371 });
    expect(payload.versionKey).toBe(2n);
    expect(salt).toHaveLength(8);
    const [row] = (await ds.query(`SELECT status, block::int AS block, revealed_at, salt, commit_hash FROM weights`)) as Record<string, unknown>[];
    expect(row).toEqual({ status: 'committed', block: 1806, revealed_at: null, salt, commit_hash: chain.commitHash(payload, salt) });
    const events = await eventsOf(ds);
    expect(events.map((e) => `${e.type}/${e.subtype}`)).toEqual(['BURNING_INCENTIVE/APPLIED_BURNING', 'WEIGHT_SETTING_SUCCESS/COMMIT_WEIGHTS_SUCCESS']);
    expect(events[0].data).toMatchObject({ main_burner: 'hotkey_1', cycle_block_start: 722, registered_burner_hotkeys: ['hotkey_1', 'hotkey_2'] });
  });

  test('commit raising at head 1200: COMMIT_WEIGHTS_ERROR is recorded', async () => {
    await seedCycle(0);
    chain.commitReveal = true;
    service.timings = { ...service.timings, attempts: 1 };
    chain.outcomes = [{ ok: false, message: 'subtensorModule.CommitRevealDisabled' }];
    chain.headNumber = 1200;
    await service.setScores();
    expect((await kinds()).filter((k) => k === 'WEIGHT_SETTING_FAILURE/COMMIT_WEIGHTS_ERROR')).toHaveLength(1);
  });

  test('retries stop when the commit window closes', async () => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.outcomes = [{ ok: false, message: 'x' }, { ok: false, message: 'y' }, { ok: false, message: 'z' }];
    chain.headNumber = 1427;
    const realHead = chain.head.bind(chain);
    let calls = 0;
    chain.head = async () => {
      calls += 1;
      if (calls > 2) chain.headNumber = 1429;
      return realHead();
    };
    expect((await service.setScores()).outcome).toBe('failed');
    expect(chain.commits.length).toBe(2);
    expect((await kinds()).at(-1)).toBe('WEIGHT_SETTING_FAILURE/GIVING_UP');
  });

  test('reveal: commit at 1234, revealed at 1444 (not at 1443), REVEAL_WEIGHTS_SUCCESS', async () => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = 1234;
    expect((await service.setScores()).outcome).toBe('committed');
    chain.headNumber = 1443;
    expect((await service.revealScores()).outcome).toBe('wait');
    expect(chain.reveals).toHaveLength(0);
    chain.headNumber = 1444;
    expect((await service.revealScores()).outcome).toBe('revealed');
    expect(chain.reveals[0].payload).toEqual(chain.commits[0].payload);
    expect(chain.reveals[0].payload.values).toEqual([16384, 32768, 49151, 65535]);
    expect(chain.reveals[0].salt).toEqual(chain.commits[0].salt);
    expect((await kinds()).at(-1)).toBe('WEIGHT_SETTING_SUCCESS/REVEAL_WEIGHTS_SUCCESS');
    expect((await service.revealScores()).outcome).toBe('nothing-to-reveal');
  });

  test.each([1678, 1789])('reveal at %i works; at 1791 nothing happens and no error', async (head) => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = 1234;
    await service.setScores();
    chain.headNumber = 1791;
    expect((await service.revealScores()).outcome).toBe('wait');
    expect((await kinds()).filter((k) => k.includes('REVEAL'))).toEqual([]);
    chain.headNumber = head;
    expect((await service.revealScores()).outcome).toBe('revealed');
  });

  test("the chain's own reveal range wins: no reveal before its first block, expired after its last", async () => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = 1234;
    await service.setScores();
    chain.revealRange = { firstRevealBlock: 1500, lastRevealBlock: 1600 };
    chain.headNumber = 1444;
    expect((await service.revealScores()).outcome).toBe('wait');
    expect(chain.reveals).toHaveLength(0);
    chain.headNumber = 1601;
    expect((await service.revealScores()).outcome).toBe('expired');
    expect(chain.reveals).toHaveLength(0);
    expect((await ds.query(`SELECT status FROM weights`))[0].status).toBe('expired');
  });

  test('a new process (restart) between commit and reveal still reveals', async () => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = 1234;
    await service.setScores();
    const restarted = build();
    chain.headNumber = 1500;
    expect((await restarted.revealScores()).outcome).toBe('revealed');
  });

  /** The state a process leaves when it dies during its first commit attempt. */
  async function diedWhileCommitting(commitLanded: boolean) {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = 1100;
    expect((await service.setScores()).outcome).toBe('committed');
    await ds.query(`UPDATE weights SET status = 'pending', block = NULL`);
    if (!commitLanded) chain.pending = [];
    return (await ds.query(`SELECT salt, commit_hash FROM weights`))[0] as { salt: number[]; commit_hash: string };
  }

  test('a restart before the commit landed commits the same weights and salt again, once', async () => {
    const stored = await diedWhileCommitting(false);
    const restarted = build();
    chain.headNumber = 1101;
    expect((await restarted.setScores()).outcome).toBe('committed');
    expect(chain.commits).toHaveLength(2);
    expect(chain.commits[1].salt).toEqual(stored.salt);
    expect(chain.pending).toEqual([stored.commit_hash]);
    chain.headNumber = 1102;
    expect((await restarted.setScores()).outcome).toBe('no-batch');
    expect((await ds.query(`SELECT count(*)::int AS n FROM weights`))[0].n).toBe(1);
  });

  test('a restart after the commit landed finds it on chain and does not commit again', async () => {
    await diedWhileCommitting(true);
    const restarted = build();
    chain.headNumber = 1101;
    expect((await restarted.setScores()).outcome).toBe('committed');
    expect(chain.commits).toHaveLength(1);
    chain.headNumber = 1450;
    expect((await restarted.revealScores()).outcome).toBe('revealed');
  });

  test('a pending round from an earlier commit window is given up, not submitted late', async () => {
    await diedWhileCommitting(false);
    chain.headNumber = 1100 + 722;
    expect((await build().setScores()).outcome).toBe('no-batch');
    expect(chain.commits).toHaveLength(1);
    expect((await ds.query(`SELECT status FROM weights`))[0].status).toBe('failed');
    expect((await kinds()).at(-1)).toBe('WEIGHT_SETTING_FAILURE/GIVING_UP');
  });
});

describe('nothing silently lost (issue 15)', () => {
  test('a hash commit whose reveal window passed while the daemon was down gets expired and an event at the next run', async () => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = 1234;
    expect((await service.setScores()).outcome).toBe('committed');
    // down from block 1234 to 2000: no reveal_scores ran; the reveal range [1444, 2166] of the grid passed
    chain.headNumber = 2200;
    const restarted = build();
    const result = await restarted.revealScores();
    expect(result.outcome).toBe('expired');
    const [row] = (await ds.query(`SELECT status, last_error FROM weights`)) as { status: string; last_error: string }[];
    expect(row.status).toBe('expired');
    expect(row.last_error).toMatch(/reveal window \(heads 1444\.\.2166\) passed/);
    const event = (await eventsOf(ds)).at(-1)!;
    expect(`${event.type}/${event.subtype}`).toBe('WEIGHT_SETTING_FAILURE/COMMIT_WEIGHTS_UNREVEALED_ERROR');
    expect(event.data).toMatchObject({ weights_id: 1, path: 'commit_weights', commit_block: 1234, current_block: 2200 });
    expect(chain.reveals).toHaveLength(0);
    expect((await restarted.revealScores()).outcome).toBe('nothing-to-reveal');
  });

  test('an older hash commit that a newer cycle superseded is settled with an event, the newest is revealed', async () => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = 1234;
    await service.setScores();
    await seedCycle(1);
    chain.headNumber = 1234 + 722;
    expect((await service.setScores()).outcome).toBe('committed');
    chain.headNumber = 1444 + 722;
    const result = await service.revealScores();
    expect(result.outcome).toBe('revealed');
    expect(result.settled).toEqual([{ id: '1', status: 'expired' }]);
    expect((await ds.query(`SELECT id::int, status FROM weights ORDER BY id`)) as unknown[]).toEqual([
      { id: 1, status: 'expired' },
      { id: 2, status: 'revealed' },
    ]);
    expect((await kinds()).filter((k) => k.endsWith('COMMIT_WEIGHTS_UNREVEALED_ERROR'))).toHaveLength(1);
  });

  test('a failed check of the chain after a restart is recorded and sends nothing (the row stays pending)', async () => {
    await seedCycle(0);
    chain.commitReveal = true;
    chain.headNumber = 1100;
    await service.setScores();
    await ds.query(`UPDATE weights SET status = 'pending', block = NULL`);
    chain.pendingCheckError = new Error('RPC-CORE: state_getStorage: connection reset');
    const restarted = build();
    chain.headNumber = 1101;
    const result = await restarted.setScores();
    expect(result.outcome).toBe('chain-unavailable');
    expect(chain.commits).toHaveLength(1);
    const [row] = (await ds.query(`SELECT status, last_error FROM weights`)) as { status: string; last_error: string }[];
    expect(row.status).toBe('pending');
    expect(row.last_error).toMatch(/could not check whether the commit of weights row 1 landed.*connection reset/);
    const event = (await eventsOf(ds)).at(-1)!;
    expect(`${event.type}/${event.subtype}`).toBe('WEIGHT_SETTING_FAILURE/SUBTENSOR_CONNECTIVITY_ERROR');
    expect(event.data).toEqual({ weights_id: 1, operation: 'setting/committing' });
    // the chain answers again: the commit is found and not sent twice
    chain.pendingCheckError = undefined;
    chain.headNumber = 1102;
    expect((await restarted.setScores()).outcome).toBe('committed');
    expect(chain.commits).toHaveLength(1);
  });
});

describe('drand-timelocked commit (DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED=false, subnet commit-reveal on)', () => {
  beforeEach(async () => {
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
    chain.commitReveal = true;
  });

  test('commits with turbobt u16 values outside any window; path, round and reveal blocks on the row and in SET_WEIGHTS_SUCCESS', async () => {
    await seedCycle(0);
    chain.headNumber = 723;
    const result = await service.setScores();
    expect(result.outcome).toBe('committed');
    expect(chain.commits).toEqual([]);
    expect(chain.timelocked.map((t) => t.payload)).toEqual([{ uids: [1, 2, 3, 4], values: [16384, 32768, 49151, 65535], versionKey: 2n }]);
    const [row] = (await ds.query(
      `SELECT mode, status, path, reveal_round::int AS rr, commit_epoch::int AS ce, first_reveal_block::int AS f, last_reveal_block::int AS l, block::int AS block, salt FROM weights`,
    )) as Record<string, unknown>[];
    expect(row).toEqual({ mode: 'timelocked', status: 'committed', path: 'commit_crv3_weights', rr: 1723, ce: 723, f: 733, l: 735, block: 724, salt: [] });
    const events = await eventsOf(ds);
    expect(events.map((e) => `${e.type}/${e.subtype}`)).toEqual(['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_SUCCESS/SET_WEIGHTS_SUCCESS']);
    expect(events[1].long_description).toBe('reveal_round:1723');
    expect(events[1].data).toEqual({ weights_id: 1, path: 'commit_crv3_weights', reveal_round: 1723, commit_epoch: 723, first_reveal_block: 733, last_reveal_block: 735, block: 724 });
  });

  test('the chain applied it: after its reveal blocks the row is revealed, REVEAL_WEIGHTS_SUCCESS', async () => {
    await seedCycle(0);
    chain.headNumber = 723;
    await service.setScores();
    chain.headNumber = 735;
    expect((await service.revealScores()).outcome).toBe('wait');
    expect(chain.verdictsAsked).toEqual([]);
    chain.headNumber = 736;
    chain.verdict = { state: 'applied', block: 733, weightsMatch: true, detail: 'CRV3WeightsRevealed for this hotkey in block 733' };
    const result = await build().revealScores();
    expect(result.outcome).toBe('revealed');
    expect(result.row?.status).toBe('revealed');
    expect(result.row?.revealedAt).not.toBeNull();
    const event = (await eventsOf(ds)).at(-1)!;
    expect(`${event.type}/${event.subtype}`).toBe('WEIGHT_SETTING_SUCCESS/REVEAL_WEIGHTS_SUCCESS');
    expect(event.data).toMatchObject({ weights_id: 1, path: 'commit_crv3_weights', reveal_round: 1723, block: 733 });
    expect((await service.revealScores()).outcome).toBe('nothing-to-reveal');
  });

  test('the chain did not apply it: not_applied with the likely cause; the next cycle commits again', async () => {
    await seedCycle(0);
    chain.headNumber = 723;
    await service.setScores();
    chain.headNumber = 800;
    chain.verdict = { state: 'not-applied', cause: 'pulse-missing', lastStoredRound: 1720, detail: 'the chain has no drand pulse for round 1723 (Drand.LastStoredRound 1720)' };
    const result = await service.revealScores();
    expect(result.outcome).toBe('not-applied');
    const [row] = (await ds.query(`SELECT status, last_error FROM weights`)) as { status: string; last_error: string }[];
    expect(row).toEqual({ status: 'not_applied', last_error: 'the chain has no drand pulse for round 1723 (Drand.LastStoredRound 1720)' });
    const event = (await eventsOf(ds)).at(-1)!;
    expect(`${event.type}/${event.subtype}`).toBe('WEIGHT_SETTING_FAILURE/COMMIT_WEIGHTS_UNREVEALED_ERROR');
    expect(event.data).toMatchObject({ weights_id: 1, reveal_round: 1723, cause: 'pulse-missing', last_stored_round: 1720, current_block: 800 });
    await seedCycle(1);
    chain.headNumber = 1500;
    expect((await service.setScores()).outcome).toBe('committed');
    expect(chain.timelocked).toHaveLength(2);
  });

  test('a restart while committing finds the landed commit by its stored round and does not commit twice', async () => {
    await seedCycle(0);
    chain.headNumber = 723;
    await service.setScores();
    await ds.query(`UPDATE weights SET status = 'pending', block = NULL`);
    chain.headNumber = 724;
    expect((await build().setScores()).outcome).toBe('committed');
    expect(chain.timelocked).toHaveLength(1);
    // not on chain (lost before it landed): committed again with a fresh plan
    await ds.query(`UPDATE weights SET status = 'pending', block = NULL`);
    chain.queued = [];
    chain.headNumber = 725;
    expect((await build().setScores()).outcome).toBe('committed');
    expect(chain.timelocked).toHaveLength(2);
    expect((await ds.query(`SELECT reveal_round::int AS rr FROM weights`))[0].rr).toBe(1725);
  });

  test('a refusal no retry can fix (runtime without drand) gives up at once with the reason', async () => {
    await seedCycle(0);
    chain.outcomes = [{ ok: false, final: true, message: 'the connected runtime (spec 218) has no drand timelocked commit' }];
    chain.headNumber = 723;
    expect((await service.setScores()).outcome).toBe('failed');
    expect(chain.timelocked).toHaveLength(1);
    expect(await kinds()).toEqual(['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_FAILURE/SET_WEIGHTS_ERROR', 'WEIGHT_SETTING_FAILURE/GIVING_UP']);
    expect((await eventsOf(ds))[1].long_description).toMatch(/spec 218\) has no drand/);
  });

  test('a timelocked commit of an earlier cycle is followed up even when a newer row exists', async () => {
    await seedCycle(0);
    chain.headNumber = 723;
    await service.setScores();
    await seedCycle(1);
    chain.headNumber = 1500;
    await service.setScores();
    chain.headNumber = 1501;
    const result = await service.revealScores();
    expect(result.outcome).toBe('wait');
    expect(result.settled).toEqual([{ id: '1', status: 'revealed' }]);
  });
});
