import { Batcher } from './batcher';

describe('Batcher', () => {
  it('writes a burst with one call; drain() writes what is queued and waits for it', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new Batcher<number, number>(async (items) => {
      writes.push(items);
      await gate;
      return items.map((i) => i * 2);
    }, 60_000);
    const results = [batcher.add(1), batcher.add(2), batcher.add(3)];
    let drained = false;
    const draining = batcher.drain().then(() => (drained = true));
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1, 2, 3]]);
    expect(drained).toBe(false); // the write is still in progress
    release();
    await draining;
    expect(await Promise.all(results)).toEqual([2, 4, 6]);
  });
});
