import { CronJob } from 'cron';
import { revealScoresCronExpression, setScoresCronExpression } from './weights.scheduler';

describe('set_scores schedule (DEBUG_SET_SCORES_MINUTE / _HOUR)', () => {
  test('the reference default fires at second 0 of every minute', () => {
    const expression = setScoresCronExpression('*/1', '*');
    expect(expression).toBe('0 */1 * * * *');
    const job = CronJob.from({ cronTime: expression, onTick: () => undefined, start: false });
    const next = job.nextDates(3).map((d) => d.toJSDate());
    expect(next.every((d) => d.getSeconds() === 0)).toBe(true);
    expect(next[1].getTime() - next[0].getTime()).toBe(60_000);
  });

  test('operators can slow it down, e.g. minute 7 of every second hour', () => {
    const expression = setScoresCronExpression('7', '*/2');
    const next = CronJob.from({ cronTime: expression, onTick: () => undefined, start: false }).nextDates(2).map((d) => d.toJSDate());
    expect(next.every((d) => d.getMinutes() === 7 && d.getHours() % 2 === 0)).toBe(true);
  });

  test('empty fields fall back to the defaults; a bad field is refused by cron', () => {
    expect(setScoresCronExpression(' ', '')).toBe('0 */1 * * * *');
    expect(() => CronJob.from({ cronTime: setScoresCronExpression('61', '*'), onTick: () => undefined, start: false })).toThrow();
  });

  test('a devnet with fast blocks runs both schedules every few seconds (DEBUG_SET_SCORES_SECOND)', () => {
    for (const expression of [setScoresCronExpression('*', '*', '*/3'), revealScoresCronExpression('*/3')]) {
      const next = CronJob.from({ cronTime: expression, onTick: () => undefined, start: false }).nextDates(3).map((d) => d.toJSDate());
      expect(next[1].getTime() - next[0].getTime()).toBe(3_000);
    }
    expect(revealScoresCronExpression()).toBe('0 * * * * *');
  });
});
