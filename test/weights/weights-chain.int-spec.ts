import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ChainModule } from '../../src/chain/chain.module';
import { ChainService } from '../../src/chain/chain.service';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { ConfigModule } from '../../src/config/config.module';
import { DynamicConfigModule } from '../../src/config/dynamic/dynamic-config.module';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import { DatabaseModule } from '../../src/database/database.module';
import { hexToU8a } from '@polkadot/util';
import { decodeTlockPayload } from '../../src/chain/weights/timelock/tlock-payload';
import { timelockDecrypt } from '../../src/chain/weights/timelock/tle';
import { devnetSeed, LocalChain } from '../../src/devnet/chain/local-chain';
import { LOCAL_RUNTIMES, LocalRuntime } from '../../src/devnet/chain/runtimes';
import { ObservabilityModule } from '../../src/observability/observability.module';
import {
  SyntheticEraScoringEngine,
  cyclesForScoring,
  scoresToUidWeights,
  u16ForCommit,
  u16ForSetWeights,
  type MainHotkeys,
  type OrganicJobResult,
  type SyntheticEraWindow,
  type SyntheticJobResult,
} from '../../src/weights/engine';
import { WeightSettingService } from '../../src/weights/setting/weight-setting.service';
import { WeightsModule } from '../../src/weights/weights.module';
import { DebugSetScoresCommand } from '../../src/weights/commands/debug-set-scores.command';
import { testConfig } from '../support/app';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { eventsOf, insertBatch, insertCycle, insertMiner, insertOrganicJob, insertSyntheticJob } from './support/seed';

jest.setTimeout(420_000);

const SPIN_UP = 'spin_up-4min.gpu-24gb';
const LLM = 'always_on.llm.a6000';

/**
 * Weight setting end to end on the real subtensor runtimes 218 and 293 (chopsticks, one chain per
 * runtime): a subnet with the validator and four miners (two coldkeys), synthetic batches and organic
 * jobs in PostgreSQL. What lands in chain storage must equal the pure engine's output for the same
 * data. On 293 the validator's drand-timelocked commit is revealed by the chain itself.
 */
describe.each(LOCAL_RUNTIMES)('weight setting on the local subtensor runtime %i', (runtime: LocalRuntime) => {
  let chain: LocalChain;
  let db: ThrowawayDatabase;
  let walletDir: string;
  let app: TestingModule;
  let dataSource: DataSource;
  let weights: WeightSettingService;
  let chainService: ChainService;
  let neurons: { hotkey: string; uid: number; coldkey: string }[];
  const minerIds = new Map<string, string>();
  /** Blocks below this hold the first test's jobs (organic jobs are selected by block). */
  let firstCycleEnd = 0;
  /** The stop of the newest seeded cycle (batches are unique per block). */
  let lastSeededStop = 0;

  async function openValidator(): Promise<void> {
    const config = testConfig({
      BITTENSOR_NETWORK: chain.wsUrl,
      BITTENSOR_NETUID: String(chain.netuid),
      BITTENSOR_WALLET_DIRECTORY: walletDir,
      BITTENSOR_WALLET_NAME: 'validator',
      BITTENSOR_WALLET_HOTKEY_NAME: 'default',
    });
    app = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ kind: 'postgres', url: db.url }), ObservabilityModule, DynamicConfigModule, ChainModule, WeightsModule],
    })
      .setLogger({ log: () => undefined, warn: () => undefined, error: (m: unknown) => console.error(m), debug: () => undefined, verbose: () => undefined })
      .compile();
    await app.init();
    dataSource = app.get(DataSource);
    weights = app.get(WeightSettingService);
    chainService = app.get(ChainService);
    weights.timings = { ...weights.timings, backoffMs: 500, revealBackoffMs: 500 };
  }

  /** Builds blocks while `work` runs (the runtime only includes extrinsics in blocks someone builds). */
  async function whileBuilding<T>(work: Promise<T>, intervalMs = 250): Promise<T> {
    let done = false;
    const loop = (async () => {
      while (!done) {
        await new Promise((r) => setTimeout(r, intervalMs));
        if (!done) await chain.newBlocks(1);
      }
    })();
    try {
      return await work;
    } finally {
      done = true;
      await loop;
    }
  }

  /** Advances the chain and waits until the validator's own client has seen that head. */
  async function advanceTo(block: number): Promise<number> {
    const head = await chain.advanceTo(block);
    for (let i = 0; i < 200 && (await chainService.head()).number < head; i++) await new Promise((r) => setTimeout(r, 50));
    return head;
  }

  async function chainWeights(): Promise<Record<number, number>> {
    const raw = (await chain.api.query.subtensorModule.weights(chain.netuid, 0)).toJSON() as [number, number][];
    return Object.fromEntries(raw.filter(([, w]) => w > 0).map(([u, w]) => [u, w]));
  }

  beforeAll(async () => {
    chain = await LocalChain.start({ runtime, miners: 3 });
    // A fourth miner under its own coldkey (//Charlie), so that coldkey grouping matters.
    const charlieMiner = chain.keyring.addFromSeed(devnetSeed('miner-charlie'));
    await chain.registerNeuron(charlieMiner, chain.keyring.addFromUri('//Charlie'));
    await chain.newBlocks(12);
    walletDir = mkdtempSync(join(tmpdir(), 'chv-weights-wallet-'));
    await writeBtcliWallet({ directory: walletDir, walletName: 'validator', hotkeyName: 'default', secret: devnetSeed('validator'), coldkeySs58: chain.sudo.address });
    db = await createThrowawayDatabase();
    await openValidator();
    const metagraph = await chainService.metagraph();
    neurons = metagraph.neurons.map((n) => ({ hotkey: n.hotkey, uid: n.uid, coldkey: n.coldkey }));
    expect(neurons).toHaveLength(5);
    // The miner table as the metagraph sync fills it: every neuron, the validator included.
    for (const n of neurons) minerIds.set(n.hotkey, await insertMiner(dataSource, { hotkey: n.hotkey, coldkey: n.coldkey, uid: n.uid, address: '127.0.0.2', port: 8000 + n.uid }));
  });

  afterAll(async () => {
    await app?.close();
    await chain?.stop();
    await db?.drop();
    if (walletDir) rmSync(walletDir, { recursive: true, force: true });
  });

  const hotkeyOfUid = (uid: number) => neurons.find((n) => n.uid === uid)!.hotkey;
  const coldkeyOfUid = (uid: number) => neurons.find((n) => n.uid === uid)!.coldkey;

  interface CycleData {
    start: number;
    stop: number;
    synthetic: { uid: number; score: number; status: 'COMPLETED' | 'FAILED' | 'EXCUSED' }[];
    organic: { uid: number; block: number; executorClass?: string; cheated?: boolean; status?: 'COMPLETED' | 'FAILED' }[];
    mainHotkeys: { coldkeyUid: number; current: number; previous?: number }[];
  }

  /** Stores one cycle's batch, jobs and main-hotkey answers; returns the pure engine's scores for them. */
  async function seedCycle(d: CycleData, head: number) {
    lastSeededStop = Math.max(lastSeededStop, d.stop);
    const cycleId = await insertCycle(dataSource, d.start, d.stop);
    const batchId = await insertBatch(dataSource, { block: d.start + 24, cycleId, startedAt: new Date() });
    // A debug batch of the same cycle never feeds weights.
    const debugBatch = await insertBatch(dataSource, { block: d.start + 25, cycleId, startedAt: new Date(), shouldBeScored: false });
    await insertSyntheticJob(dataSource, { minerId: minerIds.get(hotkeyOfUid(1))!, batchId: debugBatch, score: 1 });
    for (const s of d.synthetic) await insertSyntheticJob(dataSource, { minerId: minerIds.get(hotkeyOfUid(s.uid))!, batchId, score: s.score, status: s.status });
    for (const o of d.organic) await insertOrganicJob(dataSource, { minerId: minerIds.get(hotkeyOfUid(o.uid))!, block: o.block, executorClass: o.executorClass, cheated: o.cheated, status: o.status });
    // Organic jobs just outside the cycle do not count.
    await insertOrganicJob(dataSource, { minerId: minerIds.get(hotkeyOfUid(1))!, block: d.stop });
    await insertOrganicJob(dataSource, { minerId: minerIds.get(hotkeyOfUid(1))!, block: d.start - 1 });
    // Stored main-hotkey answers for the grid cycles of the scoring head: no miner is asked.
    const keys = cyclesForScoring(head);
    const main: MainHotkeys = { current: new Map(), previous: new Map() };
    for (const m of d.mainHotkeys) {
      const ck = coldkeyOfUid(m.coldkeyUid);
      await dataSource.query(`INSERT INTO miner_main_hotkey (coldkey, cycle_start, main_hotkey) VALUES ($1, $2, $3) ON CONFLICT (coldkey, cycle_start) DO UPDATE SET main_hotkey = EXCLUDED.main_hotkey`, [ck, keys.current, hotkeyOfUid(m.current)]);
      (main.current as Map<string, string | null>).set(ck, hotkeyOfUid(m.current));
      if (m.previous !== undefined) {
        await dataSource.query(`INSERT INTO miner_main_hotkey (coldkey, cycle_start, main_hotkey) VALUES ($1, $2, $3) ON CONFLICT (coldkey, cycle_start) DO UPDATE SET main_hotkey = EXCLUDED.main_hotkey`, [ck, keys.previous, hotkeyOfUid(m.previous)]);
        (main.previous as Map<string, string | null>).set(ck, hotkeyOfUid(m.previous));
      }
    }
    const window: SyntheticEraWindow = {
      miners: neurons.map((n) => ({ hotkey: n.hotkey, coldkey: n.coldkey })),
      syntheticJobs: d.synthetic.map((s): SyntheticJobResult => ({ minerHotkey: hotkeyOfUid(s.uid), executorClass: SPIN_UP, status: s.status, score: s.score })),
      organicJobs: d.organic.map(
        (o): OrganicJobResult => ({ minerHotkey: hotkeyOfUid(o.uid), executorClass: o.executorClass ?? SPIN_UP, status: o.status ?? 'COMPLETED', cheated: o.cheated ?? false, onTrustedMiner: false }),
      ),
      organicJobScore: 1.0,
      executorClassWeights: 'spin_up-4min.gpu-24gb=99,always_on.llm.a6000=1',
    };
    return new SyntheticEraScoringEngine().score(window, main);
  }

  test('commit-reveal off: one cycle passes and Weights in chain storage equal the engine output', async () => {
    const dynamic = app.get(DynamicConfigService);
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
    await dynamic.set('DYNAMIC_BURN_TARGET_SS58ADDRESSES', `${hotkeyOfUid(3)},not-registered`);
    await dynamic.set('DYNAMIC_BURN_RATE', '0.25');
    const head = await advanceTo((await chain.head()) + 1);
    firstCycleEnd = head;
    const scores = await seedCycle(
      {
        start: head - 60,
        stop: head - 5,
        synthetic: [
          { uid: 1, score: 1, status: 'COMPLETED' },
          { uid: 1, score: 1, status: 'COMPLETED' },
          { uid: 2, score: 1, status: 'COMPLETED' },
          { uid: 3, score: 0, status: 'FAILED' },
          { uid: 4, score: 1, status: 'EXCUSED' },
        ],
        organic: [
          { uid: 4, block: head - 60 },
          { uid: 4, block: head - 6 },
          { uid: 2, block: head - 30, cheated: true },
          { uid: 3, block: head - 20, executorClass: LLM },
          { uid: 1, block: head - 20, status: 'FAILED' },
        ],
        mainHotkeys: [
          { coldkeyUid: 1, current: 2, previous: 1 },
          { coldkeyUid: 4, current: 4 },
        ],
      },
      head,
    );
    const result = await whileBuilding(weights.setScores());
    expect(result.outcome).toBe('set');
    expect(result.row?.mode).toBe('set_weights');

    const state = { neurons: neurons.map(({ hotkey, uid }) => ({ hotkey, uid })), limits: { minAllowedWeights: 1, maxWeightsLimit: 65535 } };
    const expected = scoresToUidWeights(scores, state.neurons, state.limits, { targets: `${hotkeyOfUid(3)},not-registered`, rate: 0.25, partition: 0 }, head - 60);
    const expectedU16 = u16ForSetWeights(expected.weights);
    const expectedMap = Object.fromEntries(expected.uids.map((u, i) => [u, expectedU16[i]]).filter(([, w]) => w > 0));
    expect(Object.keys(expectedMap).length).toBeGreaterThanOrEqual(3);
    expect(await chainWeights()).toEqual(expectedMap);

    const kinds = (await eventsOf(dataSource)).map((e) => `${e.type}/${e.subtype}`);
    expect(kinds).toEqual(['BURNING_INCENTIVE/APPLIED_BURNING', 'WEIGHT_SETTING_SUCCESS/SET_WEIGHTS_SUCCESS']);
    // Same cycle again: nothing more.
    expect((await weights.setScores()).outcome).toBe('no-batch');
  });

  /** Runs the debug-set-scores command of validator-cli in this process and captures what it prints. */
  async function runDebugSetScores(): Promise<{ stdout: string; exitCode: number | undefined }> {
    const write = process.stdout.write.bind(process.stdout);
    let stdout = '';
    const before = process.exitCode;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      stdout += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
    try {
      await new DebugSetScoresCommand(weights).run();
    } finally {
      process.stdout.write = write;
    }
    const exitCode = process.exitCode === undefined || process.exitCode === null ? undefined : Number(process.exitCode);
    process.exitCode = before;
    return { stdout, exitCode };
  }

  test('validator-cli debug-set-scores runs one round and prints the uid/weight table it set', async () => {
    const head = await advanceTo((await chain.head()) + 1);
    await seedCycle(
      {
        start: firstCycleEnd,
        stop: head - 1,
        synthetic: [
          { uid: 1, score: 1, status: 'COMPLETED' },
          { uid: 4, score: 1, status: 'COMPLETED' },
        ],
        organic: [],
        mainHotkeys: [
          { coldkeyUid: 1, current: 1 },
          { coldkeyUid: 4, current: 4 },
        ],
      },
      head,
    );
    firstCycleEnd = head;
    const out = await whileBuilding(runDebugSetScores());
    expect(out.exitCode).toBeUndefined();
    expect(out.stdout).toMatch(/^set_scores: set at block \d+/m);
    const onChain = await chainWeights();
    const printed = Object.fromEntries([...out.stdout.matchAll(/^│\s*(\d+)\s*│\s*(\d+)\s*│/gm)].map((m) => [Number(m[1]), Number(m[2])]).filter(([, w]) => w > 0));
    expect(printed).toEqual(onChain);
    expect(Object.keys(onChain).length).toBeGreaterThan(0);
  });

  test('commit-reveal on: the commit lands in the commit window, a restarted validator reveals it', async () => {
    await chain.setCommitReveal(true);
    const dynamic = app.get(DynamicConfigService);
    const tempo = (await chainService.hyperparameters()).tempo;
    const interval = 2 * (tempo + 1);
    // The grid the reference uses for netuid 12 / tempo 360 (722, 361, 15, 15), scaled to this subnet's
    // tempo so that commit and reveal windows fall in consecutive epochs of netuid 2 (buffers >= netuid + 1).
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'true');
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', String(interval));
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_COMMIT_START_OFFSET', String(tempo + 1));
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_COMMIT_END_BUFFER', '3');
    await dynamic.set('DYNAMIC_COMMIT_REVEAL_REVEAL_END_BUFFER', '3');
    await dynamic.set('DYNAMIC_BURN_RATE', '0');
    await dataSource.query(`DELETE FROM system_event`);

    let head = await chain.head();
    let windowStart = head - (head % interval) + tempo + 1;
    while (windowStart <= head || windowStart < firstCycleEnd + 6) windowStart += interval;
    // Outside the window nothing happens.
    await advanceTo(windowStart - 1);
    const scores = await seedCycle(
      {
        start: firstCycleEnd,
        stop: windowStart - 2,
        synthetic: [
          { uid: 2, score: 1, status: 'COMPLETED' },
          { uid: 3, score: 1, status: 'COMPLETED' },
          { uid: 3, score: 1, status: 'COMPLETED' },
        ],
        organic: [{ uid: 4, block: firstCycleEnd + 1 }, { uid: 1, block: windowStart - 3, executorClass: LLM }],
        mainHotkeys: [
          { coldkeyUid: 1, current: 3, previous: 3 },
          { coldkeyUid: 4, current: 4 },
        ],
      },
      windowStart,
    );
    expect((await weights.setScores()).outcome).toBe('outside-window');

    head = await advanceTo(windowStart);
    expect(head).toBe(windowStart);
    const result = await whileBuilding(weights.setScores());
    expect(result.outcome).toBe('committed');
    const row = result.row!;
    expect(row.mode).toBe('commit_reveal');
    const commits = (await chain.api.query.subtensorModule.weightCommits(chain.netuid, chain.validator.address)).toJSON() as [string, number, number, number][];
    expect(commits.map((c) => c[0])).toContain(row.commitHash);

    const expected = scoresToUidWeights(scores, neurons.map(({ hotkey, uid }) => ({ hotkey, uid })), { minAllowedWeights: 1, maxWeightsLimit: 65535 }, { targets: '', rate: 0, partition: 0 }, firstCycleEnd);
    const expectedU16 = u16ForCommit(expected.weights);
    expect(row.uids).toEqual(expected.uids);
    expect(row.weights).toEqual(expectedU16);

    // Restart between commit and reveal: a new validator process on the same database.
    await app.close();
    await openValidator();
    expect((await weights.revealScores()).outcome).toBe('wait');
    await advanceTo(windowStart - (tempo + 1) + interval);
    const revealed = await whileBuilding(weights.revealScores());
    expect(revealed.outcome).toBe('revealed');
    expect(await chainWeights()).toEqual(Object.fromEntries(expected.uids.map((u, i) => [u, expectedU16[i]]).filter(([, w]) => w > 0)));
    const kinds = (await eventsOf(dataSource)).map((e) => `${e.type}/${e.subtype}`);
    expect(kinds).toEqual(['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_SUCCESS/COMMIT_WEIGHTS_SUCCESS', 'WEIGHT_SETTING_SUCCESS/REVEAL_WEIGHTS_SUCCESS']);
    const stored = (await dataSource.query(`SELECT status, revealed_at FROM weights WHERE id = $1`, [row.id]))[0];
    expect(stored.status).toBe('revealed');
    expect(stored.revealed_at).not.toBeNull();
  });

  /** The weights row of a round as stored. */
  async function rowOf(id: string) {
    return (
      (await dataSource.query(
        `SELECT status, mode, path, reveal_round::int AS "revealRound", commit_epoch::int AS "commitEpoch", first_reveal_block::int AS "firstRevealBlock",
                last_reveal_block::int AS "lastRevealBlock", last_error AS "lastError" FROM weights WHERE id = $1`,
        [id],
      )) as { status: string; mode: string; path: string; revealRound: number; commitEpoch: number; firstRevealBlock: number; lastRevealBlock: number; lastError: string | null }[]
    )[0];
  }

  /** One more cycle of jobs ending at the head; returns the engine's scores and the cycle start. */
  async function nextCycle(synthetic: CycleData['synthetic']) {
    // the previous cycle's "just outside" organic job sits at its stop block
    const start = Math.max(firstCycleEnd, lastSeededStop + 1);
    const head = await advanceTo(Math.max((await chain.head()) + 1, start + 30));
    const scores = await seedCycle({ start, stop: head - 1, synthetic, organic: [], mainHotkeys: [{ coldkeyUid: 1, current: 1, previous: 1 }, { coldkeyUid: 4, current: 4, previous: 4 }] }, head);
    firstCycleEnd = head;
    return { scores, start };
  }

  if (runtime === 293) {
    test('timelocked (CRv3): the validator commits a real cycle, the beacon pulse arrives, the chain reveals; Weights equal the engine output; a restart in between loses nothing', async () => {
      const dynamic = app.get(DynamicConfigService);
      await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
      await dynamic.set('DYNAMIC_BURN_RATE', '0');
      expect((await chainService.hyperparameters()).commitRevealEnabled).toBe(true);
      await dataSource.query(`DELETE FROM system_event`);
      const before = await chainWeights();
      const { scores, start } = await nextCycle([
        { uid: 1, score: 1, status: 'COMPLETED' },
        { uid: 2, score: 1, status: 'COMPLETED' },
        { uid: 2, score: 1, status: 'COMPLETED' },
        { uid: 2, score: 1, status: 'COMPLETED' },
        { uid: 4, score: 1, status: 'COMPLETED' },
      ]);
      const result = await whileBuilding(weights.setScores());
      expect(result.outcome).toBe('committed');
      const row = await rowOf(result.row!.id);
      expect(row).toMatchObject({ status: 'committed', mode: 'timelocked', path: 'commit_crv3_weights' });
      expect(row.firstRevealBlock).toBe(row.lastRevealBlock);

      // On chain: the encrypted commit under its epoch, nothing applied yet; it decrypts with the beacon's pulse to the row.
      const queued = (await chain.api.query.subtensorModule.crv3WeightCommits(chain.netuid, row.commitEpoch)).toJSON() as [string, string, number][];
      expect(queued.map(([who, , round]) => [who, round])).toEqual([[chain.validator.address, row.revealRound]]);
      const plaintext = await timelockDecrypt(hexToU8a(queued[0][1]), hexToU8a(chain.beacon!.pulse(row.revealRound).signature));
      expect(decodeTlockPayload(3, plaintext)).toEqual({ uids: result.row!.uids, values: result.row!.weights, versionKey: 2n });
      expect(await chainWeights()).toEqual(before);

      // Restart between commit and reveal: a new validator process on the same database.
      await app.close();
      await openValidator();
      expect((await weights.revealScores()).outcome).toBe('wait');
      await advanceTo(row.lastRevealBlock + 1);
      expect((await chain.api.query.drand.pulses(row.revealRound)).toJSON()).not.toBeNull();
      const followed = await weights.revealScores();
      expect(followed.outcome).toBe('revealed');
      expect((await rowOf(result.row!.id)).status).toBe('revealed');

      const expected = scoresToUidWeights(scores, neurons.map(({ hotkey, uid }) => ({ hotkey, uid })), { minAllowedWeights: 1, maxWeightsLimit: 65535 }, { targets: '', rate: 0, partition: 0 }, start);
      const expectedU16 = u16ForSetWeights(expected.weights);
      const expectedMap = Object.fromEntries(expected.uids.map((u, i) => [u, expectedU16[i]]).filter(([, w]) => w > 0));
      expect(Object.keys(expectedMap).length).toBeGreaterThanOrEqual(3);
      expect(await chainWeights()).toEqual(expectedMap);
      expect(expectedMap).not.toEqual(before);
      const events = await eventsOf(dataSource);
      expect(events.map((e) => `${e.type}/${e.subtype}`)).toEqual(['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_SUCCESS/SET_WEIGHTS_SUCCESS', 'WEIGHT_SETTING_SUCCESS/REVEAL_WEIGHTS_SUCCESS']);
      expect(events[1].long_description).toBe(`reveal_round:${row.revealRound}`);
      expect(events[2].data).toMatchObject({ path: 'commit_crv3_weights', reveal_round: row.revealRound, block: row.lastRevealBlock });
    });

    test('timelocked: a pulse that never reaches the chain leaves the commit unapplied, and the validator says so', async () => {
      await dataSource.query(`DELETE FROM system_event`);
      const before = await chainWeights();
      await nextCycle([
        { uid: 3, score: 1, status: 'COMPLETED' },
        { uid: 4, score: 1, status: 'COMPLETED' },
      ]);
      const result = await whileBuilding(weights.setScores());
      expect(result.outcome).toBe('committed');
      const row = await rowOf(result.row!.id);
      await chain.withholdPulse(row.revealRound);
      await advanceTo(row.lastRevealBlock + 1);
      const followed = await weights.revealScores();
      expect(followed.outcome).toBe('not-applied');
      const after = await rowOf(result.row!.id);
      expect(after.status).toBe('not_applied');
      expect(after.lastError).toMatch(new RegExp(`no drand pulse for round ${row.revealRound}`));
      expect(await chainWeights()).toEqual(before);
      const event = (await eventsOf(dataSource)).at(-1)!;
      expect(`${event.type}/${event.subtype}`).toBe('WEIGHT_SETTING_FAILURE/COMMIT_WEIGHTS_UNREVEALED_ERROR');
      expect(event.data).toMatchObject({ weights_id: Number(result.row!.id), path: 'commit_crv3_weights', reveal_round: row.revealRound, cause: 'pulse-missing' });
      // the commit itself is gone from the chain's queue
      expect((await chain.api.query.subtensorModule.crv3WeightCommits(chain.netuid, row.commitEpoch)).toJSON()).toEqual([]);
    });
  } else {
    test('timelocked on a runtime without drand: one clear error and GIVING_UP, nothing sent', async () => {
      const dynamic = app.get(DynamicConfigService);
      await dynamic.set('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'false');
      await dataSource.query(`DELETE FROM system_event`);
      await nextCycle([{ uid: 1, score: 1, status: 'COMPLETED' }]);
      const result = await weights.setScores();
      expect(result.outcome).toBe('failed');
      const events = await eventsOf(dataSource);
      expect(events.map((e) => `${e.type}/${e.subtype}`)).toEqual(['BURNING_INCENTIVE/NO_BURNING', 'WEIGHT_SETTING_FAILURE/SET_WEIGHTS_ERROR', 'WEIGHT_SETTING_FAILURE/GIVING_UP']);
      expect(events[1].long_description).toMatch(/runtime \(spec 218\) has no drand timelocked commit .* DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED=true/);
      expect((await rowOf(result.row!.id)).status).toBe('failed');
    });
  }
});
