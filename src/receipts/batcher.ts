/**
 * Collects items for a few milliseconds and writes them with one statement: under load the validator
 * writes one outbox INSERT per burst instead of one per status update.
 */
export class Batcher<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writing = new Set<Promise<unknown>>();

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxDelayMs = 5,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
    });
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0);
    if (batch.length === 0) return;
    const done = this.write(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i])),
      (e: unknown) => batch.forEach((b) => b.reject(e)),
    );
    this.writing.add(done);
    void done.finally(() => this.writing.delete(done));
  }

  /** Writes what is queued now and waits for every write in progress (before the database closes). */
  async drain(): Promise<void> {
    this.flush();
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
  }
}
