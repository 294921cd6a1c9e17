/** Injected time, so deadlines are testable without sleeping. */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  abstract sleep(ms: number, signal?: AbortSignal): Promise<void>;
  nowDate(): Date {
    return new Date(this.now());
  }
  /**
   * Calls `fn` after `ms` of this clock's time unless the returned function is called first. Built on
   * `sleep`; clocks over real time override it with a bare timer, because a batch arms thousands of
   * these and an AbortController (plus the DOMException an abort creates) per wait shows in profiles.
   */
  timer(ms: number, fn: () => void): () => void {
    const ac = new AbortController();
    this.sleep(ms, ac.signal).then(fn, () => undefined);
    return () => ac.abort(TIMER_CANCELLED);
  }
}

const TIMER_CANCELLED = 'timer cancelled';

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
  override timer(ms: number, fn: () => void): () => void {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
