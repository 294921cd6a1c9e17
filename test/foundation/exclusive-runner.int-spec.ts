import { DataSource } from 'typeorm';
import { ExclusiveRunner } from '../../src/database/exclusive-runner.service';
import { migratedPostgres } from '../support/postgres';
import { createDataSource } from '../../src/database/data-source.factory';

describe('runExclusive on real PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof migratedPostgres>>;
  let second: DataSource;

  beforeAll(async () => {
    db = await migratedPostgres();
    // A second DataSource stands for a second validator process on the same database.
    second = (await createDataSource({ kind: 'postgres', url: db.url }, { runMigrations: false })).dataSource;
  });
  afterAll(async () => {
    await second.destroy();
    await db.close();
  });

  it('lets only one of two concurrent processes run the same job', async () => {
    const a = new ExclusiveRunner(db.dataSource);
    const b = new ExclusiveRunner(second);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runs: string[] = [];
    const first = a.runExclusive('synthetic-batch', async () => {
      runs.push('a');
      await gate;
      return 'a-done';
    });
    await new Promise((r) => setTimeout(r, 100));
    const other = await b.runExclusive('synthetic-batch', async () => {
      runs.push('b');
      return 'b-done';
    });
    expect(other).toEqual({ ran: false, reason: expect.stringContaining('another validator process') });
    release();
    expect(await first).toEqual({ ran: true, value: 'a-done' });
    expect(runs).toEqual(['a']);
    // Once released, the other process may run it.
    expect(await b.runExclusive('synthetic-batch', async () => 'b-later')).toEqual({ ran: true, value: 'b-later' });
  });

  it('does not block different job names', async () => {
    const a = new ExclusiveRunner(db.dataSource);
    const b = new ExclusiveRunner(second);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = a.runExclusive('set-weights', () => gate);
    expect(await b.runExclusive('sync-metagraph', async () => 1)).toEqual({ ran: true, value: 1 });
    release();
    await first;
  });

  it('releases the lock when the job throws', async () => {
    const a = new ExclusiveRunner(db.dataSource);
    const b = new ExclusiveRunner(second);
    await expect(a.runExclusive('flaky', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await b.runExclusive('flaky', async () => 'ok')).toEqual({ ran: true, value: 'ok' });
  });

  it('with wait, the second caller runs after the first instead of skipping', async () => {
    const a = new ExclusiveRunner(db.dataSource);
    const b = new ExclusiveRunner(second);
    const order: string[] = [];
    const first = a.runExclusive('queued', async () => {
      await new Promise((r) => setTimeout(r, 200));
      order.push('a');
    });
    await new Promise((r) => setTimeout(r, 50));
    await b.runExclusive('queued', async () => order.push('b'), { wait: true });
    await first;
    expect(order).toEqual(['a', 'b']);
  });

  it('skips a second in-process caller of the same job', async () => {
    const a = new ExclusiveRunner(db.dataSource);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = a.runExclusive('twice', () => gate);
    expect(await a.runExclusive('twice', async () => 1)).toMatchObject({ ran: false });
    release();
    await first;
  });
});
