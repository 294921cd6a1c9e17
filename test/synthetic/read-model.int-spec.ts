import { SystemClock } from '../../src/config/clock';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import { cycleContaining } from '../../src/synthetic-jobs/calendar/chain-time';
import { SyntheticJobsReadModel } from '../../src/synthetic-jobs/synthetic-jobs.read-model';
import { testConfig } from '../support/app';
import { migratedPostgres } from '../support/postgres';

/**
 * What the status page reads of the calendar: the next batch by the calendar's own rules, a passed
 * batch missed at once, a started one running, a stored one done with its counts.
 */
describe('SyntheticJobsReadModel on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof migratedPostgres>>;
  let model: SyntheticJobsReadModel;
  const netuid = 12;
  const tempo = 360;
  const config = testConfig({ BITTENSOR_NETUID: String(netuid) });

  beforeAll(async () => {
    db = await migratedPostgres();
    const clock = new SystemClock();
    model = new SyntheticJobsReadModel(db.dataSource, config, clock, new DynamicConfigService(db.dataSource, config, clock));
  });
  afterAll(async () => {
    await db.close();
  });

  async function batch(block: number, opts: { startedAgoMs?: number; finished?: boolean; missed?: boolean } = {}): Promise<string> {
    const c = cycleContaining(block, netuid, tempo);
    await db.dataSource.query(`INSERT INTO cycle (start, stop) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [c.start, c.stop]);
    const started = opts.startedAgoMs === undefined ? null : new Date(Date.now() - opts.startedAgoMs);
    const [{ id }] = (await db.dataSource.query(
      `INSERT INTO synthetic_job_batch (block, cycle_id, started_at, accepting_results_until, is_missed)
       SELECT $1, id, $2, $3, $4 FROM cycle WHERE start = $5 AND stop = $6 RETURNING id`,
      [block, started, opts.finished ? new Date() : null, opts.missed ?? false, c.start, c.stop],
    )) as { id: string }[];
    return String(id);
  }

  it('names the next batch, marks a passed one missed before the periodic check does, and shows runs', async () => {
    const head = 10_000;
    const cycle = cycleContaining(head, netuid, tempo);
    const previous = cycleContaining(cycle.start - 1, netuid, tempo);
    const done = await batch(previous.start + 40, { startedAgoMs: 3_600_000, finished: true });
    const [{ id: minerId }] = (await db.dataSource.query(`INSERT INTO miner (hotkey, uid) VALUES ('5Miner', 1) RETURNING id`)) as { id: string }[];
    await db.dataSource.query(
      `INSERT INTO synthetic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, status, batch_id, failure_kind)
       VALUES (gen_random_uuid(), $1, '10.0.0.1', 4, 8000, 'COMPLETED', $2, NULL), (gen_random_uuid(), $1, '10.0.0.1', 4, 8000, 'FAILED', $2, 'TIMED_OUT'),
              (gen_random_uuid(), $1, '10.0.0.1', 4, 8000, 'FAILED', $2, 'TIMED_OUT')`,
      [minerId, done],
    );
    // this cycle's batch passed 10 blocks ago and never started: not "next", missed
    await batch(head - 10);

    let cal = await model.calendar(head, tempo);
    expect(cal.cycle).toEqual(cycle);
    expect(cal.current).toMatchObject({ block: head - 10, state: 'missed' });
    expect(cal.next).toBeNull();
    expect(cal.nextSlotChosenAtBlock).toBe(cycle.stop - 3);
    expect(cal.missed.map((b) => b.block)).toEqual([head - 10]);

    // the next cycle's batch, once scheduled, is next; at its block it is due, once started running
    const upcoming = await batch(cycle.stop + 30);
    cal = await model.calendar(head, tempo);
    expect(cal.next).toMatchObject({ block: cycle.stop + 30, state: 'scheduled' });
    expect((await model.calendar(cycle.stop + 31, tempo)).next).toMatchObject({ block: cycle.stop + 30, state: 'due' });
    await db.dataSource.query(`UPDATE synthetic_job_batch SET started_at = now() WHERE id = $1`, [upcoming]);
    const cut = await batch(previous.start + 60, { startedAgoMs: 60_000 });
    await db.dataSource.query(`UPDATE synthetic_job_batch SET interrupted_at = now() WHERE id = $1`, [cut]);
    const recent = await model.recentBatches(8, cycle.stop + 35);
    expect(recent.map((b) => [b.block, b.state])).toEqual([
      [cycle.stop + 30, 'running'],
      [head - 10, 'missed'],
      [previous.start + 60, 'interrupted'],
      [previous.start + 40, 'done'],
    ]);
    expect(recent[3]).toMatchObject({ jobs: { sent: 3, completed: 1, excused: 0, failed: 2 }, failureKinds: { TIMED_OUT: 2 } });
    expect(await model.minerResults([done])).toEqual([{ batchId: done, minerId: String(minerId), completed: 1, excused: 0, failed: 2 }]);
  });
});
