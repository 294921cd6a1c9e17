import { migratedPostgres } from '../support/postgres';
import { Clock } from '../../src/config/clock';
import { ExclusiveRunner } from '../../src/database/exclusive-runner.service';
import { EvictionService } from '../../src/retention/eviction.service';

class FixedClock extends Clock {
  constructor(private readonly at: number) {
    super();
  }
  now(): number {
    return this.at;
  }
  async sleep(): Promise<void> {}
}

const DAY = 24 * 3600 * 1000;

describe('evict-old-data on real PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof migratedPostgres>>;
  beforeAll(async () => {
    db = await migratedPostgres();
  });
  afterAll(async () => db.close());

  it('deletes what is past retention, keeps the rest, and cascades batches to their jobs', async () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const ago = (days: number) => new Date(now - days * DAY).toISOString();
    const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
    await q(`INSERT INTO system_event (type, subtype, timestamp, data, sent) VALUES
      ('VALIDATOR_TELEMETRY','SUCCESS',$1,'{}',true), ('VALIDATOR_TELEMETRY','SUCCESS',$2,'{}',true),
      ('VALIDATOR_TELEMETRY','SUCCESS',$1,'{}',false), ('VALIDATOR_TELEMETRY','SUCCESS',$3,'{}',false)`, [ago(3), ago(1), ago(8)]);
    const [{ id: minerId }] = (await q(`INSERT INTO miner (hotkey) VALUES ('5Miner') RETURNING id`)) as { id: string }[];
    await q(`INSERT INTO miner_blacklist (miner_id, expires_at) VALUES ($1, $2), ($1, $3), ($1, NULL)`, [minerId, ago(3), ago(1)]);
    const [{ id: cycleId }] = (await q(`INSERT INTO cycle (start, stop) VALUES (0, 722) RETURNING id`)) as { id: string }[];
    const [{ id: oldBatch }] = (await q(`INSERT INTO synthetic_job_batch (block, cycle_id, created_at) VALUES (10, $1, $2) RETURNING id`, [cycleId, ago(3)])) as { id: string }[];
    const [{ id: newBatch }] = (await q(`INSERT INTO synthetic_job_batch (block, cycle_id, created_at) VALUES (20, $1, $2) RETURNING id`, [cycleId, ago(1)])) as { id: string }[];
    for (const [uuid, batch] of [['00000000-0000-4000-8000-000000000001', oldBatch], ['00000000-0000-4000-8000-000000000002', newBatch]]) {
      await q(`INSERT INTO synthetic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, batch_id) VALUES ($1, $2, '127.0.0.2', 4, 8000, $3)`, [uuid, minerId, batch]);
    }
    await q(`INSERT INTO organic_job_request (job_uuid, request, ended_at, final_status) VALUES ('old', NULL, $1, 'completed'), ('recent', NULL, $2, 'failed'), ('open', '{}', NULL, NULL)`, [ago(3), ago(1)]);
    await q(`INSERT INTO facilitator_outbox (job_uuid, status, frame, acked_at) VALUES ('old', 'completed', '{}', $1), ('recent', 'failed', '{}', $2), ('open', 'received', '{}', NULL)`, [ago(3), ago(1)]);

    const report = await new EvictionService(db.dataSource, new FixedClock(now), new ExclusiveRunner(db.dataSource)).evict();
    const byWhat = Object.fromEntries(report.map((r) => [r.what, r.deleted]));
    expect(byWhat['sent system events']).toBe(1);
    expect(byWhat['unsent system events']).toBe(1);
    expect(byWhat['expired blacklist entries']).toBe(1);
    expect(byWhat['synthetic batches (and their jobs and manifests)']).toBe(1);
    expect(byWhat['ended organic job requests']).toBe(1);
    expect(byWhat['answered facilitator status updates']).toBe(1);
    expect(((await q(`SELECT job_uuid FROM organic_job_request ORDER BY job_uuid`)) as { job_uuid: string }[]).map((r) => r.job_uuid)).toEqual(['open', 'recent']);
    expect(((await q(`SELECT job_uuid FROM facilitator_outbox ORDER BY job_uuid`)) as { job_uuid: string }[]).map((r) => r.job_uuid)).toEqual(['open', 'recent']);

    expect((await q(`SELECT count(*)::int AS n FROM system_event`))[0].n).toBe(2);
    expect((await q(`SELECT count(*)::int AS n FROM miner_blacklist`))[0].n).toBe(2);
    expect(((await q(`SELECT job_uuid FROM synthetic_job`)) as { job_uuid: string }[]).map((r) => r.job_uuid)).toEqual(['00000000-0000-4000-8000-000000000002']);
    expect((await q(`SELECT count(*)::int AS n FROM miner`))[0].n).toBe(1);
  });
});
