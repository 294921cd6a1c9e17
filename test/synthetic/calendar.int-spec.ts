import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/config/clock';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import { StaticValidatorHotkey } from '../../src/chain/validator-hotkey';
import { ExclusiveRunner } from '../../src/database/exclusive-runner.service';
import { createDataSource } from '../../src/database/data-source.factory';
import { SystemEventsService } from '../../src/observability/system-events/system-events.service';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import { SyntheticJobBatch } from '../../src/synthetic-jobs/persistence/synthetic-job-batch.entity';
import type { ValidatorCandidate } from '../../src/synthetic-jobs/calendar/batch-slot';
import { SyntheticChainReader } from '../../src/synthetic-jobs/calendar/synthetic-chain.reader';
import { SyntheticBatchRunnerService } from '../../src/synthetic-jobs/batch-run/batch-runner.service';
import { SyntheticMinersService } from '../../src/synthetic-jobs/participants/synthetic-miners.service';
import { RUN_LOCK, SyntheticCalendarService } from '../../src/synthetic-jobs/calendar/synthetic-calendar.service';
import { ScoringInputsRepository } from '../../src/weights/scoring-inputs/scoring-inputs.repository';
import { testConfig } from '../support/app';
import { migratedPostgres } from '../support/postgres';
import { SyntheticBatchRepository } from '../../src/synthetic-jobs/persistence/synthetic-batch.repository';
import { MinerManifestRepository } from '../../src/synthetic-jobs/persistence/miner-manifest.repository';
import { BatchSystemEventsRepository } from '../../src/synthetic-jobs/persistence/batch-system-events.repository';
import { BatchMinersRepository } from '../../src/synthetic-jobs/persistence/batch-miners.repository';

/** A clock whose sleeps return at once (and are counted): the planner's polling without waiting. */
class SteppingClock extends Clock {
  t = Date.UTC(2025, 10, 4, 12);
  sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

/** Chain reader double for the calendar (the chain itself is tested by the chain module). */
class ScriptedChain extends SyntheticChainReader {
  head = 100;
  step = 1;
  neurons: ValidatorCandidate[] = [];
  hashes = new Map<number, string>();
  tempoValue = 360;
  async tempo(): Promise<number> {
    return this.tempoValue;
  }
  async currentBlock(): Promise<number> {
    const h = this.head;
    this.head += this.step;
    return h;
  }
  async blockHash(block: number): Promise<string> {
    const h = this.hashes.get(block);
    if (!h) throw new Error(`no hash for block ${block}`);
    return h;
  }
  async validatorCandidates() {
    return { neurons: this.neurons, stakeThreshold: 0n, maxValidators: 64 };
  }
}

describe('synthetic calendar on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof migratedPostgres>>;
  const own = () => new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');

  function calendar(dataSource: DataSource, chain: ScriptedChain, clock: Clock) {
    const config = testConfig({ BITTENSOR_NETUID: '12' });
    const dynamic = new DynamicConfigService(dataSource, config, clock);
    const hotkey = new StaticValidatorHotkey(own());
    const runner = new SyntheticBatchRunnerService(new SyntheticBatchRepository(dataSource), new MinerManifestRepository(dataSource), new BatchSystemEventsRepository(dataSource), config, clock, dynamic, hotkey, new SyntheticMinersService(new BatchMinersRepository(dataSource), config));
    const exclusive = new ExclusiveRunner(dataSource);
    const service = new SyntheticCalendarService(new SyntheticBatchRepository(dataSource), config, clock, dynamic, hotkey, exclusive, new SystemEventsService(dataSource), runner, chain);
    return { service, exclusive };
  }

  const events = async (subtype: string) => (await db.dataSource.getRepository(SystemEvent).find()).filter((e) => e.subtype === subtype);
  const reset = async () => {
    await db.dataSource.query('DELETE FROM synthetic_job_batch');
    await db.dataSource.query('DELETE FROM system_event');
  };
  async function insertBatch(block: number, startedAt: Date | null = null): Promise<void> {
    await db.dataSource.query(`INSERT INTO cycle (start, stop) VALUES (-14, 708) ON CONFLICT DO NOTHING`);
    await db.dataSource.query(`INSERT INTO synthetic_job_batch (block, cycle_id, started_at) SELECT $1, id, $2 FROM cycle WHERE start = -14`, [block, startedAt]);
  }

  beforeAll(async () => {
    await cryptoWaitReady();
    db = await migratedPostgres();
  });
  afterAll(() => db?.close());
  beforeEach(reset);

  describe('schedule (scoring-synthetic-era.md §9.3 "simple")', () => {
    const seed = '0xed0050a68f7027abdf10a5e4bd7951c00d886ddbb83bed5b3236ed642082b464';
    function chainWithValidators(includeSelf: boolean): ScriptedChain {
      const chain = new ScriptedChain();
      chain.head = 140;
      chain.step = 0;
      chain.hashes.set(-17, seed);
      chain.neurons = Array.from({ length: 11 }, (_, uid) => ({
        uid,
        hotkey: uid === 6 && includeSelf ? own().address : `mock_validator_hotkey_${uid}`,
        totalStake: BigInt((uid + 1) * 1001) * 10n ** 9n,
        alphaStake: (uid + 1) * 1001,
      }));
      return chain;
    }

    it('creates one batch at block 390 for cycle [-14, 708) and records the slot', async () => {
      const { service } = calendar(db.dataSource, chainWithValidators(true), new SteppingClock());
      expect(await service.scheduleBatch()).toMatchObject({ scheduled: true, block: 390, index: 6, total: 11 });
      const batches = await db.dataSource.getRepository(SyntheticJobBatch).find({ relations: { cycle: true } });
      expect(batches.map((b) => [Number(b.block), Number(b.cycle.start), Number(b.cycle.stop), b.shouldBeScored])).toEqual([[390, -14, 708, true]]);
      const scheduled = await events('SUCCESS');
      expect(scheduled[0]).toMatchObject({ type: 'VALIDATOR_SYNTHETIC_JOB_SCHEDULED', data: { seed, index: 6, block: 390 } });
      expect(await service.scheduleBatch()).toMatchObject({ scheduled: false });
      expect(await db.dataSource.getRepository(SyntheticJobBatch).count()).toBe(1);
    });

    it('a validator that is not in the list schedules nothing and records why', async () => {
      const { service } = calendar(db.dataSource, chainWithValidators(false), new SteppingClock());
      expect(await service.scheduleBatch()).toMatchObject({ scheduled: false, reason: expect.stringContaining('not in a list of validators') });
      expect(await db.dataSource.getRepository(SyntheticJobBatch).count()).toBe(0);
      expect((await events('GENERIC_ERROR')).map((e) => e.type)).toEqual(['WEIGHT_SETTING_FAILURE']);
    });
  });

  describe('run timing (synthetic-jobs.md §13.3): head 100, +1 per query, W 3, O 3, poll 4 s', () => {
    it.each([
      [96, 0, 0, null],
      [97, 0, 1, 'WARNING'],
      [98, 0, 1, 'WARNING'],
      [99, 0, 1, 'WARNING'],
      [100, 0, 1, null],
      [101, 0, 1, null],
      [102, 1, 1, null],
      [103, 2, 1, null],
      [104, 0, 0, null],
    ])('batch at %i: %i poll(s), %i run(s), event %s', async (block, polls, runs, subtype) => {
      await insertBatch(block);
      const clock = new SteppingClock();
      const { service } = calendar(db.dataSource, new ScriptedChain(), clock);
      const outcome = await service.runDueBatch();
      expect(clock.sleeps).toHaveLength(polls);
      expect(outcome.ran ? 1 : 0).toBe(runs);
      const warnings = await events('WARNING');
      expect(warnings.map((e) => e.type)).toEqual(subtype ? ['VALIDATOR_OVERSLEPT_SCHEDULED_JOB_WARNING'] : []);
      const [row] = (await db.dataSource.query('SELECT started_at FROM synthetic_job_batch')) as { started_at: Date | null }[];
      expect(row.started_at !== null).toBe(runs === 1);
    });

    it('batch at 101 with the head frozen at 100: 6 polls, no run, FAILED_TO_WAIT, batch left unstarted', async () => {
      await insertBatch(101);
      const chain = new ScriptedChain();
      chain.step = 0;
      const clock = new SteppingClock();
      const { service } = calendar(db.dataSource, chain, clock);
      expect((await service.runDueBatch()).ran).toBe(false);
      expect(clock.sleeps).toEqual([4000, 4000, 4000, 4000, 4000, 4000]);
      expect((await events('FAILED_TO_WAIT')).map((e) => e.type)).toEqual(['VALIDATOR_SYNTHETIC_JOBS_FAILURE']);
    });

    it('three batches within the window: exactly one runs', async () => {
      for (const b of [101, 102, 103]) await insertBatch(b);
      const { service } = calendar(db.dataSource, new ScriptedChain(), new SteppingClock());
      expect((await service.runDueBatch()).ran).toBe(true);
      const started = (await db.dataSource.query('SELECT block FROM synthetic_job_batch WHERE started_at IS NOT NULL')) as { block: string }[];
      expect(started.map((r) => Number(r.block))).toEqual([101]);
    });

    it('SERVING=false: nothing runs', async () => {
      await insertBatch(100);
      const { service } = calendar(db.dataSource, new ScriptedChain(), new SteppingClock());
      await new DynamicConfigService(db.dataSource, testConfig(), new SteppingClock()).set('SERVING', 'false');
      try {
        expect(await service.runDueBatch()).toEqual({ ran: false, reason: 'not serving' });
      } finally {
        await db.dataSource.query(`DELETE FROM dynamic_config WHERE key = 'SERVING'`);
      }
    });
  });

  describe('a second process cannot start the same batch', () => {
    it('two validator processes (separate connection pools) race for one due batch: exactly one runs it', async () => {
      await insertBatch(100);
      const other = await createDataSource({ kind: 'postgres', url: db.url });
      try {
        const chainA = new ScriptedChain();
        const chainB = new ScriptedChain();
        chainA.step = chainB.step = 0;
        const a = calendar(db.dataSource, chainA, new SteppingClock());
        const b = calendar(other.dataSource, chainB, new SteppingClock());
        // Straight at the planner (no advisory lock): the conditional claim alone must hold.
        const [ra, rb] = await Promise.all([a.service.runDueBatch(), b.service.runDueBatch()]);
        expect([ra.ran, rb.ran].filter(Boolean)).toHaveLength(1);
        // Through runExclusive, as the cron does: the advisory lock keeps the second out too.
        await db.dataSource.query('UPDATE synthetic_job_batch SET started_at = NULL');
        const [xa, xb] = await Promise.all([
          a.exclusive.runExclusive(RUN_LOCK, () => a.service.runDueBatch()),
          b.exclusive.runExclusive(RUN_LOCK, () => b.service.runDueBatch()),
        ]);
        const ran = [xa, xb].filter((x) => x.ran && x.value.ran);
        expect(ran).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  });

  describe('interrupted batches (issue 15): started, results never stored', () => {
    it('are flagged once under the run lock with an event, never run again and never scored', async () => {
      // What a process that died during its batch leaves: the claim, no jobs, no stored results.
      await insertBatch(100);
      const clock = new SteppingClock();
      const chain = new ScriptedChain();
      chain.step = 0;
      const { service, exclusive } = calendar(db.dataSource, chain, clock);
      const [{ id }] = (await db.dataSource.query('SELECT id::text AS id FROM synthetic_job_batch')) as { id: string }[];
      expect(await service.claim(id)).toBe(true);
      // A batch that ran to the end (no serving miners: an empty, stored result) is never flagged.
      await insertBatch(99);
      expect(await service.runDueBatch()).toMatchObject({ ran: true });

      const flagged = await exclusive.runExclusive(RUN_LOCK, () => service.flagInterrupted());
      expect(flagged).toEqual({ ran: true, value: [id] });
      expect(await service.flagInterrupted()).toEqual([]);
      const rows = (await db.dataSource.query('SELECT block, interrupted_at IS NOT NULL AS interrupted FROM synthetic_job_batch ORDER BY block')) as { block: string; interrupted: boolean }[];
      expect(rows.map((r) => [Number(r.block), r.interrupted])).toEqual([[99, false], [100, true]]);
      const [event] = await events('INTERRUPTED');
      expect(event).toMatchObject({ type: 'VALIDATOR_SYNTHETIC_JOBS_FAILURE', data: { batch_id: id, block: 100, reason: 'the validator stopped before the batch results were stored' } });

      expect(await service.runDueBatch()).toEqual({ ran: false, reason: 'no batch due' });
      // weight setting takes the stored batch of the cycle, never the interrupted one
      const scoring = await new ScoringInputsRepository(db.dataSource).batchForScoring(1000, clock.nowDate());
      expect(scoring).toMatchObject({ supersededBatchIds: [] });
      expect(scoring?.batchId).not.toBe(id);
    });
  });

  describe('missed batches (synthetic-jobs.md §13.3)', () => {
    it('an unstarted batch below head − 3 is flagged once; started and future batches never', async () => {
      await insertBatch(-4);
      await insertBatch(-9, new Date());
      await insertBatch(11);
      const chain = new ScriptedChain();
      chain.head = 2;
      chain.step = 0;
      const { service } = calendar(db.dataSource, chain, new SteppingClock());
      expect(await service.checkMissed()).toBe(1);
      expect(await service.checkMissed()).toBe(0);
      expect((await events('OVERSLEPT')).map((e) => [e.type, e.data.block])).toEqual([['VALIDATOR_SYNTHETIC_JOBS_FAILURE', -4]]);
      const missed = (await db.dataSource.query('SELECT block FROM synthetic_job_batch WHERE is_missed')) as { block: string }[];
      expect(missed.map((r) => Number(r.block))).toEqual([-4]);
    });
  });
});
