import { ApiPromise, WsProvider } from '@polkadot/api';
import type { Header } from '@polkadot/types/interfaces';
import { Observable, Subject } from 'rxjs';

export interface ChainHead {
  number: number;
  hash: string;
  /** When this process saw the head (ms since epoch). */
  seenAt: number;
}

export interface ConnectionLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface ChainConnectionOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Time allowed for opening the socket and loading metadata. */
  connectTimeoutMs?: number;
  /** Time after which an RPC request without an answer fails (reference: 30 s). */
  requestTimeoutMs?: number;
  /** Without a new head for this long, check that the node still answers (default 60 s). */
  stallCheckMs?: number;
}

/** The chain cannot be reached right now; the message says why and that it is being retried. */
export class ChainUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainUnavailableError';
  }
}

/**
 * One @polkadot/api client that keeps itself connected: it retries forever with exponential
 * backoff (logged), and after a dropped connection builds a fresh client and resubscribes to new
 * heads. Nobody waits on the connection unless they ask for `ready()`.
 */
export class ChainConnection {
  private current: ApiPromise | undefined;
  private started = false;
  private stopped = false;
  private readonly stopController = new AbortController();
  private readonly headsSubject = new Subject<ChainHead>();
  private readonly connectedWaiters = new Set<() => void>();
  private lastHeadValue: ChainHead | undefined;
  private lastErrorValue: string | undefined;
  /** Since when no connection has been up (creation counts: nothing is connected yet). */
  private downSinceValue: number | undefined = Date.now();
  private loop: Promise<void> | undefined;
  /** Connections made so far (1 after the first, 2 after the first reconnect, ...). */
  connections = 0;
  private readonly opts: Required<ChainConnectionOptions>;

  constructor(
    readonly endpoint: string,
    private readonly logger: ConnectionLogger,
    opts: ChainConnectionOptions = {},
  ) {
    this.opts = { initialBackoffMs: 1000, maxBackoffMs: 30_000, connectTimeoutMs: 30_000, requestTimeoutMs: 30_000, stallCheckMs: 60_000, ...opts };
  }

  get heads$(): Observable<ChainHead> {
    return this.headsSubject.asObservable();
  }

  get connected(): boolean {
    return this.current !== undefined;
  }

  get lastHead(): ChainHead | undefined {
    return this.lastHeadValue;
  }

  get lastError(): string | undefined {
    return this.lastErrorValue;
  }

  /** Milliseconds since the last connection went away (or since creation), 0 while connected. */
  unreachableForMs(now = Date.now()): number {
    return this.current || this.downSinceValue === undefined ? 0 : now - this.downSinceValue;
  }

  /** Starts connecting in the background (idempotent). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.loop = this.run();
  }

  /** The connected client; starts connecting if needed and waits at most `timeoutMs`. */
  async ready(timeoutMs = 30_000): Promise<ApiPromise> {
    this.start();
    if (this.current) return this.current;
    if (this.stopped) throw new ChainUnavailableError('chain client is stopped');
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.connectedWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.connectedWaiters.add(done);
    });
    if (this.current) return this.current;
    throw new ChainUnavailableError(
      `subtensor at ${this.endpoint} is not reachable (${this.lastErrorValue ?? 'still connecting'}); retrying in the background`,
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopController.abort();
    for (const w of [...this.connectedWaiters]) w();
    const api = this.current;
    this.current = undefined;
    await api?.disconnect().catch(() => undefined);
    await this.loop?.catch(() => undefined);
    this.headsSubject.complete();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let provider: WsProvider | undefined;
      let api: ApiPromise | undefined;
      try {
        provider = new WsProvider(this.endpoint, false, {}, this.opts.requestTimeoutMs);
        const closed = new Promise<string>((resolve) => {
          provider!.on('disconnected', () => resolve('connection closed'));
          provider!.on('error', (e: unknown) => resolve(describeSocketError(e)));
        });
        await provider.connect();
        const opened = new Promise<void>((resolve) => provider!.on('connected', () => resolve()));
        await this.race(opened, closed, 'opening the websocket');
        api = await this.race(ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }), closed, 'loading the runtime metadata');
        const unsubscribe = await this.race(
          api.rpc.chain.subscribeNewHeads((header: Header) => this.onHead(header)),
          closed,
          'subscribing to new heads',
        );
        this.current = api;
        this.downSinceValue = undefined;
        this.connections += 1;
        this.lastErrorValue = undefined;
        failures = 0;
        this.logger.log(`connected to subtensor at ${this.endpoint}${this.connections > 1 ? ` (reconnect #${this.connections - 1})` : ''}`);
        for (const w of [...this.connectedWaiters]) w();
        const watchdog = this.watchStalls(api);
        const reason = await Promise.race([closed, watchdog.stalled]);
        clearInterval(watchdog.timer);
        unsubscribe();
        if (this.stopped) return;
        this.lastErrorValue = reason;
        this.logger.warn(`lost the connection to subtensor at ${this.endpoint} (${reason}); reconnecting`);
      } catch (e) {
        if (this.stopped) return;
        this.lastErrorValue = e instanceof Error ? e.message : String(e);
        failures += 1;
      } finally {
        if (this.current) this.downSinceValue = Date.now();
        this.current = undefined;
        await api?.disconnect().catch(() => undefined);
        if (!api) await provider?.disconnect().catch(() => undefined);
      }
      if (this.stopped) return;
      const delay = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** Math.max(0, failures - 1));
      if (failures > 0) {
        this.logger.warn(`cannot reach subtensor at ${this.endpoint}: ${this.lastErrorValue}; retry ${failures} in ${Math.round(delay / 100) / 10} s`);
      }
      await sleep(failures > 0 ? delay : this.opts.initialBackoffMs, this.stopController.signal);
    }
  }

  /**
   * A socket can stay open while the node behind it is gone (half-open TCP): with no new head for
   * `stallCheckMs`, ask the node for its health; no answer within the request timeout closes the
   * socket, which reconnects. A chain that simply builds no blocks (devnet) answers and stays.
   */
  private watchStalls(api: ApiPromise): { timer: NodeJS.Timeout; stalled: Promise<string> } {
    let probing = false;
    let reportStall!: (reason: string) => void;
    const stalled = new Promise<string>((resolve) => (reportStall = resolve));
    const timer = setInterval(() => {
      const last = this.lastHeadValue?.seenAt ?? 0;
      if (probing || Date.now() - last < this.opts.stallCheckMs) return;
      probing = true;
      let timeout: NodeJS.Timeout | undefined;
      const noAnswer = new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error('no answer')), this.opts.requestTimeoutMs);
      });
      Promise.race([api.rpc.system.health(), noAnswer])
        .then(
          () => undefined,
          () => reportStall(`no block for ${Math.round((Date.now() - last) / 1000)} s and no answer to system_health`),
        )
        .finally(() => {
          clearTimeout(timeout);
          probing = false;
        });
    }, Math.min(this.opts.stallCheckMs, 10_000));
    timer.unref();
    return { timer, stalled };
  }

  private onHead(header: Header): void {
    const head = { number: header.number.toNumber(), hash: header.hash.toHex(), seenAt: Date.now() };
    this.lastHeadValue = head;
    this.headsSubject.next(head);
  }

  /** `work`, unless the socket closes or the connect timeout passes first. */
  private race<T>(work: Promise<T>, closed: Promise<string>, step: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out ${step} after ${this.opts.connectTimeoutMs} ms`)), this.opts.connectTimeoutMs);
    });
    const failed = closed.then((reason) => Promise.reject(new Error(`${reason} while ${step}`)));
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      onAbort = () => reject(new Error('stopped'));
      this.stopController.signal.addEventListener('abort', onAbort, { once: true });
    });
    work.catch(() => undefined);
    failed.catch(() => undefined);
    stopped.catch(() => undefined);
    return Promise.race([work, timeout, failed, stopped]).finally(() => {
      clearTimeout(timer);
      if (onAbort) this.stopController.signal.removeEventListener('abort', onAbort);
    });
  }
}

function describeSocketError(e: unknown): string {
  if (e instanceof Error) return e.message;
  const inner = (e as { error?: unknown; message?: unknown } | undefined) ?? {};
  if (inner.error instanceof Error) return inner.error.message;
  if (typeof inner.message === 'string' && inner.message) return inner.message;
  return 'websocket error';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
