import { mapLimit } from './map-limit';

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight, starts them in order and returns results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      started.push(n);
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(started).toEqual([5, 1, 4, 2, 3]);
    expect(peak).toBe(2);
  });

  it('an empty list resolves at once', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
