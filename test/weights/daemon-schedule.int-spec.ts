import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startDaemon } from '../support/app';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { SET_SCORES_JOB } from '../../src/weights/setting/weights.scheduler';

jest.setTimeout(120_000);

describe('weight-setting schedules in the daemon', () => {
  let db: ThrowawayDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createThrowawayDatabase();
    app = await startDaemon({ kind: 'postgres', url: db.url }, { DEBUG_SET_SCORES_MINUTE: '*/5', DEBUG_SET_SCORES_HOUR: '*' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  test('set_scores follows DEBUG_SET_SCORES_MINUTE / _HOUR; reveal_scores runs every minute', () => {
    const registry = app.get(SchedulerRegistry);
    const setScores = registry.getCronJob(SET_SCORES_JOB);
    const next = setScores.nextDates(2).map((d) => d.toJSDate());
    expect(next.every((d) => d.getMinutes() % 5 === 0 && d.getSeconds() === 0)).toBe(true);
    expect(registry.getCronJob('weights.reveal-scores')).toBeDefined();
  });
});
