/**
 * In what order and how fast the stages start their jobs: miners shuffled, each miner's jobs
 * together, 64 starts per turn of the event loop.
 */

/**
 * Starts `fn` for every item (all run concurrently), yielding to the event loop after every 64 starts:
 * each start signs and sends synchronously, so without yielding no frame would leave (and no answer be
 * read) until thousands of jobs had been signed.
 */
export async function paced<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  const running: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    running.push(fn(items[i]));
    if (i % 64 === 63) await new Promise<void>((r) => setImmediate(r));
  }
  await Promise.all(running);
}

/**
 * Miners in random order, each miner's jobs in random order and together: the stages start jobs in
 * this order, 64 per turn of the event loop, so one miner's frames of a turn leave in one write.
 */
export function shuffleByMiner<T extends { miner: { hotkey: string } }>(jobs: readonly T[]): T[] {
  const byMiner = new Map<string, T[]>();
  for (const job of jobs) {
    const list = byMiner.get(job.miner.hotkey);
    if (list) list.push(job);
    else byMiner.set(job.miner.hotkey, [job]);
  }
  return shuffle([...byMiner.values()]).flatMap((list) => shuffle(list));
}

/** Fisher-Yates with Math.random: order does not affect verdicts, it only avoids systemic bias. */
function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
