import type { DataSource } from 'typeorm';
import { testConfig } from '../support/app';
import { migratedPostgres } from '../support/postgres';
import type { CreatedDataSource } from '../../src/database/data-source.factory';
import { SystemClock } from '../../src/config/clock';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import { SyntheticEraCycleScorer } from '../../src/weights/scoring-inputs/cycle-scorer';
import { MainHotkeyAnswer, MainHotkeyQuerier } from '../../src/weights/scoring-inputs/main-hotkey-querier';
import { MainHotkeyResolver } from '../../src/weights/scoring-inputs/main-hotkey.resolver';
import { MinerAddress, ScoringInputsRepository } from '../../src/weights/scoring-inputs/scoring-inputs.repository';
import { insertBatch, insertCycle, insertMiner, insertOrganicJob, insertSyntheticJob } from './support/seed';

/** Answers like the §9.7 transports; records who was asked. */
class ScriptedMiners extends MainHotkeyQuerier {
  asked: string[] = [];
  constructor(private readonly answers: Record<string, MainHotkeyAnswer>) {
    super();
  }
  async query(miners: readonly MinerAddress[]) {
    this.asked.push(...miners.map((m) => m.hotkey));
    return new Map(miners.map((m) => [m.hotkey, this.answers[m.hotkey] ?? new Error('connection refused')]));
  }
}

let created: CreatedDataSource;
let ds: DataSource;
let repo: ScoringInputsRepository;
let dynamic: DynamicConfigService;
const ids: Record<string, string> = {};

beforeAll(async () => {
  created = await migratedPostgres();
  ds = created.dataSource;
  repo = new ScoringInputsRepository(ds);
  dynamic = new DynamicConfigService(ds, testConfig(), new SystemClock());
});
afterAll(async () => created?.close());

beforeEach(async () => {
  await ds.query(`TRUNCATE weights, miner_main_hotkey, synthetic_job, synthetic_job_batch, cycle, organic_job, miner RESTART IDENTITY CASCADE`);
  // scoring-synthetic-era.md §9.7 miners, in insertion order.
  for (const [hotkey, coldkey] of [
    ['hotkey1', 'coldkey1'],
    ['hotkey3', 'coldkey2'],
    ['hotkey7', 'coldkey3'],
    ['hotkey2', 'coldkey1'],
    ['hotkey4', 'coldkey2'],
    ['hotkey5', 'coldkey2'],
    ['hotkey6', 'coldkey2'],
  ]) {
    ids[hotkey] = await insertMiner(ds, { hotkey, coldkey, address: '127.0.0.2', port: 8000 });
  }
});

const ANSWERS: Record<string, MainHotkeyAnswer> = { hotkey1: 'hotkey1', hotkey2: 'hotkey1', hotkey3: 'hotkey3', hotkey4: 'hotkey3', hotkey5: 'hotkey3', hotkey7: 'hotkey7' };

function scorer(miners = new ScriptedMiners(ANSWERS)) {
  return { scorer: new SyntheticEraCycleScorer(repo, new MainHotkeyResolver(repo, miners), dynamic), miners };
}

describe('scoring from the database (netuid-12 cycle [708, 1430))', () => {
  test('§9.7 basic through the tables, scoring the batch cycle: organic in [708, 1430), synthetic of its batches', async () => {
    const cycle = await insertCycle(ds, 708, 1430);
    const batch = await insertBatch(ds, { block: 732, cycleId: cycle });
    const debug = await insertBatch(ds, { block: 733, cycleId: cycle, shouldBeScored: false });
    await insertOrganicJob(ds, { minerId: ids.hotkey1, block: 708 }); // the reference's 14-block hole: counted here
    await insertOrganicJob(ds, { minerId: ids.hotkey3, block: 1429 });
    await insertOrganicJob(ds, { minerId: ids.hotkey3, block: 1430 }); // next cycle
    await insertOrganicJob(ds, { minerId: ids.hotkey3, block: 707 }); // previous cycle
    await insertSyntheticJob(ds, { minerId: ids.hotkey1, batchId: batch, score: 10 });
    await insertSyntheticJob(ds, { minerId: ids.hotkey7, batchId: batch, score: 15 });
    await insertSyntheticJob(ds, { minerId: ids.hotkey7, batchId: debug, score: 100 }); // debug run: never counts
    const { scorer: s, miners } = scorer();
    const scores = await s.scoreCycle({ cycle: { id: cycle, start: 708, stop: 1430 }, currentCycleStart: 1000, previousCycleStart: 278 });
    const expected: Record<string, number> = { hotkey1: 32.27, hotkey2: 8.07, hotkey3: 2.93, hotkey4: 0.24, hotkey5: 0.24, hotkey6: 0.24, hotkey7: 55.0 };
    for (const [hk, v] of Object.entries(expected)) expect(Math.abs(scores.get(hk)! - v)).toBeLessThan(0.005);
    // coldkey1 and coldkey2 were asked (all their miners), coldkey3's single hotkey too.
    expect(new Set(miners.asked)).toEqual(new Set(['hotkey1', 'hotkey2', 'hotkey3', 'hotkey4', 'hotkey5', 'hotkey6', 'hotkey7']));
    const rows = await ds.query(`SELECT coldkey, cycle_start::int AS c, main_hotkey FROM miner_main_hotkey ORDER BY coldkey`);
    expect(rows).toEqual([
      { coldkey: 'coldkey1', c: 1000, main_hotkey: 'hotkey1' },
      { coldkey: 'coldkey2', c: 1000, main_hotkey: 'hotkey3' },
      { coldkey: 'coldkey3', c: 1000, main_hotkey: 'hotkey7' },
    ]);
  });

  test('stored rows for the cycle are used without asking any miner; the previous row gives the dancing bonus', async () => {
    const cycle = await insertCycle(ds, 708, 1430);
    await insertOrganicJob(ds, { minerId: ids.hotkey1, block: 800 });
    await ds.query(`INSERT INTO miner_main_hotkey (coldkey, cycle_start, main_hotkey) VALUES ('coldkey1', 1000, 'hotkey1'), ('coldkey1', 278, 'hotkey2')`);
    const { scorer: s, miners } = scorer();
    const scores = await s.scoreCycle({ cycle: { id: cycle, start: 708, stop: 1430 }, currentCycleStart: 1000, previousCycleStart: 278 });
    expect(miners.asked).toEqual([]);
    expect(scores.get('hotkey1')).toBeCloseTo(79.2, 10);
    expect(scores.get('hotkey2')).toBeCloseTo(19.8, 10);
  });

  test('when no miner of a coldkey answers, nothing is stored and the score is split evenly', async () => {
    const cycle = await insertCycle(ds, 708, 1430);
    await insertOrganicJob(ds, { minerId: ids.hotkey1, block: 800 });
    const { scorer: s } = scorer(new ScriptedMiners({}));
    const scores = await s.scoreCycle({ cycle: { id: cycle, start: 708, stop: 1430 }, currentCycleStart: 1000, previousCycleStart: 278 });
    expect(scores).toEqual(new Map([['hotkey1', 49.5], ['hotkey2', 49.5]]));
    expect(await ds.query(`SELECT * FROM miner_main_hotkey`)).toEqual([]);
  });

  test('organic jobs fold per miner and class without changing the result (cheated, trusted, failed excluded)', async () => {
    const cycle = await insertCycle(ds, 708, 1430);
    for (let i = 0; i < 5; i++) await insertOrganicJob(ds, { minerId: ids.hotkey7, block: 900 + i });
    await insertOrganicJob(ds, { minerId: ids.hotkey7, block: 900, cheated: true });
    await insertOrganicJob(ds, { minerId: ids.hotkey7, block: 900, onTrustedMiner: true });
    await insertOrganicJob(ds, { minerId: ids.hotkey7, block: 900, status: 'FAILED' });
    await insertOrganicJob(ds, { minerId: ids.hotkey7, block: 900, executorClass: 'always_on.llm.a6000' });
    expect(await repo.organicJobs(708, 1430)).toEqual([
      { minerHotkey: 'hotkey7', executorClass: 'spin_up-4min.gpu-24gb', status: 'COMPLETED', cheated: false, onTrustedMiner: false, count: 5 },
      { minerHotkey: 'hotkey7', executorClass: 'always_on.llm.a6000', status: 'COMPLETED', cheated: false, onTrustedMiner: false, count: 1 },
    ]);
  });
});

describe('batch selection (scoring-synthetic-era.md §6.2)', () => {
  const now = new Date();
  test('only a started, unscored, scoreable batch from the last 24 h whose cycle ended before the head', async () => {
    const ended = await insertCycle(ds, -14, 708);
    const running = await insertCycle(ds, 708, 1430);
    await insertBatch(ds, { block: 10, cycleId: ended, startedAt: null }); // never started (missed)
    await insertBatch(ds, { block: 11, cycleId: ended, startedAt: new Date(now.getTime() - 25 * 3600_000) }); // too old
    await insertBatch(ds, { block: 12, cycleId: ended, scored: true });
    await insertBatch(ds, { block: 13, cycleId: ended, shouldBeScored: false });
    await insertBatch(ds, { block: 14, cycleId: ended, resultsStored: false }); // started, results never stored (interrupted)
    await insertBatch(ds, { block: 720, cycleId: running }); // its cycle has not ended at head 1000
    expect(await repo.batchForScoring(1000, now)).toBeUndefined();
    expect(await repo.batchForScoring(708, now)).toBeUndefined(); // cycle.stop < head, strictly
  });

  test('several eligible: the latest started is scored, the others are marked scored with it', async () => {
    const c1 = await insertCycle(ds, -14, 708);
    const c2 = await insertCycle(ds, 708, 1430);
    const older = await insertBatch(ds, { block: 10, cycleId: c1, startedAt: new Date(now.getTime() - 3600_000) });
    const newer = await insertBatch(ds, { block: 730, cycleId: c2, startedAt: new Date(now.getTime() - 60_000) });
    const found = await repo.batchForScoring(1500, now);
    expect(found).toMatchObject({ batchId: newer, cycleId: c2, cycleStart: 708, cycleStop: 1430, supersededBatchIds: [older] });
  });
});
