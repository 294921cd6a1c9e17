import type { Socket } from 'node:net';
import WebSocket from 'ws';
import type { KeyringPair } from '@polkadot/keyring/types';
import {
  buildMessage, createAuthMessage, GenericError, JOBLESS_MINER_MESSAGE_TYPES, LEGACY_PING_FRAME, parseMinerMessage, serializeMessage,
  type MinerMessageOf, type MinerMessageType, type MinerToValidatorMessage, type ValidatorToMinerMessage,
} from '../../protocol';
import type {
  ConnectResult, MinerConnectionApi, MinerConnectionFailure, MinerConnectionFailureKind, MinerConnectionOptions, MinerConnectionState,
  SendOptions, SendResult, WaitForOptions, WaitResult,
} from './types';
import { FIRST_AUTH_MAX_AGE_SECONDS } from './types';
import { connectRetryDelayMs, minerUrl } from './miner-url';
import { closeSocket, keepWebSocketAlive, openWebSocket, rawPreview } from './websocket-io';

const MAX_QUEUED_MESSAGES = 10_000;
const MAX_RECORDED_FAILURES = 1000;
/** GenericError details after which the miner will not talk to us on any connection (§4.2, §9.5). */
const REFUSAL_PATTERNS = [/not authenticated due to/i, /^unknown validator/i, /^inactive validator/i];

type Interrupt = 'miner-error' | 'unparseable' | 'unexpected';
const DEFAULT_INTERRUPTS: ReadonlySet<Interrupt> = new Set(['miner-error']);

interface Waiter {
  types: ReadonlySet<string>;
  jobUuid?: string;
  interrupt: ReadonlySet<Interrupt>;
  settle: (result: WaitResult<MinerToValidatorMessage>) => void;
}

interface OpenWaiter {
  settle: (failure: MinerConnectionFailure | null) => void;
}

/**
 * The validator's client for one miner (spec/miner-protocol.md §2, §4). Every public method resolves to a
 * result value; socket events are caught, so a misbehaving miner can never throw into the caller or crash
 * the process. One state machine (connecting, authenticating, waiters, sends, refusal), hence ~430 lines;
 * the socket plumbing (handshake, keepalive, close) is in websocket-io.ts, the URL and backoff in miner-url.ts.
 */
export class MinerConnection implements MinerConnectionApi {
  private _state: MinerConnectionState = 'idle';
  private readonly _failures: MinerConnectionFailure[] = [];
  private _manifest: MinerMessageOf<'V0ExecutorManifestRequest'> | undefined;
  private ws: WebSocket | null = null;
  private generation = 0;
  private readonly queue: MinerToValidatorMessage[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly openWaiters = new Set<OpenWaiter>();
  private connecting: Promise<ConnectResult> | null = null;
  /** Aborted by close(): ends retry sleeps and keepalive loops. */
  private readonly lifetime = new AbortController();
  private terminalFailure: MinerConnectionFailure | null = null;
  private pair: KeyringPair | null = null;
  private url = '';
  /** TCP socket under the current WebSocket (from the upgrade response), for write coalescing. */
  private socket: Socket | null = null;
  private corked = false;

  constructor(private readonly options: MinerConnectionOptions) {}

  get state(): MinerConnectionState {
    return this._state;
  }
  get failures(): readonly MinerConnectionFailure[] {
    return this._failures;
  }
  get manifest(): MinerMessageOf<'V0ExecutorManifestRequest'> | undefined {
    return this._manifest;
  }

  async connect(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ConnectResult> {
    if (this._state === 'open') return { ok: true };
    if (this.terminalFailure) return { ok: false, failure: this.terminalFailure };
    this.startConnecting();
    const failure = await this.whenOpen(opts.timeoutMs, opts.signal, 'connecting');
    return failure ? { ok: false, failure } : { ok: true };
  }

  async send(message: ValidatorToMinerMessage, opts: SendOptions = {}): Promise<SendResult> {
    let text: string;
    try {
      text = serializeMessage(message);
    } catch (e) {
      return { ok: false, failure: this.failure('unexpected', `cannot serialise ${message.message_type}: ${(e as Error).message}`, {}, false) };
    }
    const deadline = opts.timeoutMs === undefined ? undefined : this.options.clock.now() + opts.timeoutMs;
    for (;;) {
      if (this.terminalFailure) return { ok: false, failure: this.terminalFailure };
      if (this._state !== 'open') {
        if (this._state === 'idle') this.startConnecting();
        const left = deadline === undefined ? undefined : Math.max(0, deadline - this.options.clock.now());
        const failure = await this.whenOpen(left, opts.signal, `sending ${message.message_type}`);
        if (failure) return { ok: false, failure };
      }
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        // the socket is going down but its close event has not run yet: let it run, then wait for the reconnect
        await new Promise((resolve) => setImmediate(resolve));
        if (deadline !== undefined && this.options.clock.now() >= deadline) {
          return { ok: false, failure: this.failure('timeout', `sending ${message.message_type} timed out`, {}, false) };
        }
        if (opts.signal?.aborted) return { ok: false, failure: this.failure('aborted', `sending ${message.message_type} aborted`, {}, false) };
        continue;
      }
      this.corkForThisTick();
      const error = await new Promise<Error | null>((resolve) => {
        try {
          ws.send(text, (err) => resolve(err ?? null));
        } catch (e) {
          resolve(e as Error);
        }
      });
      if (!error) return { ok: true };
      this.failure('closed', `send of ${message.message_type} failed: ${error.message}; retrying after reconnect`, {}, false);
      if (deadline !== undefined && this.options.clock.now() >= deadline) {
        return { ok: false, failure: this.failure('timeout', `sending ${message.message_type} timed out`, {}, false) };
      }
    }
  }

  waitFor<T extends MinerMessageType>(types: T | readonly T[], opts: WaitForOptions): Promise<WaitResult<MinerMessageOf<T>>> {
    const typeSet = new Set<string>(typeof types === 'string' ? [types] : types);
    const what = [...typeSet].join('|');
    const index = this.queue.findIndex((m) => typeSet.has(m.message_type) && this.isForJob(m, opts.jobUuid));
    if (index >= 0) {
      const [message] = this.queue.splice(index, 1);
      return Promise.resolve({ ok: true, message: message as MinerMessageOf<T> });
    }
    if (this.terminalFailure) return Promise.resolve({ ok: false, failure: this.terminalFailure });
    if (opts.signal?.aborted) return Promise.resolve({ ok: false, failure: this.failure('aborted', `waiting for ${what} aborted`, {}, false) });

    return new Promise((resolve) => {
      let done = false;
      let cancelTimer: (() => void) | undefined;
      const waiter: Waiter = {
        types: typeSet,
        jobUuid: opts.jobUuid,
        interrupt: opts.interrupt === undefined ? DEFAULT_INTERRUPTS : new Set(opts.interrupt),
        settle: (result) => {
          if (done) return;
          done = true;
          this.waiters.delete(waiter);
          cancelTimer?.();
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(result as WaitResult<MinerMessageOf<T>>);
        },
      };
      const onAbort = () => waiter.settle({ ok: false, failure: this.failure('aborted', `waiting for ${what} aborted`, {}, false) });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      cancelTimer = this.options.clock.timer(Math.max(0, opts.timeoutMs), () =>
        waiter.settle({ ok: false, failure: this.failure('timeout', `no ${what}${opts.jobUuid ? ` for job ${opts.jobUuid}` : ''} within ${opts.timeoutMs} ms`, {}, false) }),
      );
      if (done) cancelTimer();
    });
  }

  /**
   * Frames sent to this miner in the same turn of the event loop leave in one write: a batch sends
   * several jobs' messages to a miner at once, and one syscall per frame showed as a third of the
   * batch's CPU.
   */
  private corkForThisTick(): void {
    const socket = this.socket;
    if (this.corked || !socket || socket.destroyed) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      if (!socket.destroyed) socket.uncork();
    });
  }

  async close(): Promise<void> {
    if (this._state === 'closed') return;
    const failure = this.failure('closed', 'connection closed by the validator', {}, false);
    this.terminalFailure ??= failure;
    this._state = 'closed';
    this.lifetime.abort();
    const ws = this.ws;
    this.ws = null;
    this.generation++;
    this.failAll(this.terminalFailure);
    if (ws) await closeSocket(ws, this.options.clock);
  }

  // ---- connecting ----

  private startConnecting(): void {
    if (this.connecting || this.terminalFailure) return;
    if (!this.pair) {
      // the wallet's hotkey may be unavailable (missing file): a failure of this connection, not an exception
      try {
        this.pair = this.options.validatorHotkey.pair;
        this.url = minerUrl(this.options.address, this.options.port, this.pair.address);
      } catch (e) {
        this.terminalFailure = this.failure('closed', `validator hotkey unavailable: ${(e as Error).message}`, {}, true);
        this._state = 'closed';
        this.failAll(this.terminalFailure);
        return;
      }
    }
    this._state = this._state === 'idle' ? 'connecting' : 'reconnecting';
    this.connecting = this.connectLoop().then((result) => {
      this.connecting = null;
      if (!result.ok) {
        this.terminalFailure ??= result.failure;
        if (this._state !== 'refused') this._state = 'closed';
        this.failAll(this.terminalFailure);
      }
      return result;
    });
  }

  private async connectLoop(): Promise<ConnectResult> {
    const o = this.options;
    const maxRetries = o.maxRetries ?? 5;
    let attempt = 0;
    let lastError = 'not attempted';
    while (maxRetries === 0 || attempt < maxRetries) {
      if (this.lifetime.signal.aborted) break;
      const error = await this.openOnce();
      if (error === null) return { ok: true };
      lastError = error;
      attempt++;
      this.failure('closed', `connect attempt ${attempt} to ${this.url} failed: ${error}`, {}, false);
      try {
        await o.clock.sleep(connectRetryDelayMs(attempt, o.retryBaseDelayMs ?? 1000, o.retryJitterMs ?? 1000, o.random ?? Math.random), this.lifetime.signal);
      } catch {
        break;
      }
    }
    if (this.terminalFailure) return { ok: false, failure: this.terminalFailure };
    return { ok: false, failure: this.failure('closed', `could not connect to miner ${o.minerHotkey} at ${this.url} after ${attempt} attempts: ${lastError}`, {}, false) };
  }

  /** One attempt: resolves null once the socket is open and authenticated-to, else the error text. */
  private openOnce(): Promise<string | null> {
    const o = this.options;
    return openWebSocket(this.url, { clock: o.clock, maxPayloadBytes: o.maxPayloadBytes, handshakeTimeoutMs: o.handshakeTimeoutMs }, this.lifetime.signal, (ws, socket) => {
      this.socket = socket;
      this.corked = false;
      this.adopt(ws);
    });
  }

  /** Takes an open socket into use: authenticate first, then let senders through. */
  private adopt(ws: WebSocket): void {
    const generation = ++this.generation;
    this.ws = ws;
    let lastPong = this.options.clock.now();
    ws.on('error', (err) => {
      if (generation === this.generation) this.failure('closed', `socket error: ${err.message}`, {}, false);
    });
    ws.on('pong', () => {
      lastPong = this.options.clock.now();
    });
    ws.on('message', (data, isBinary) => {
      if (generation !== this.generation) return;
      try {
        this.onFrame(data, isBinary);
      } catch (e) {
        this.failure('unparseable', `frame handling failed: ${(e as Error).message}`, {}, true);
      }
    });
    ws.on('close', (code, reason) => {
      stopKeepalive();
      if (generation !== this.generation) return;
      this.ws = null;
      this.onSocketClosed(code, reason.toString('utf8').slice(0, 200));
    });
    try {
      const presigned = this.options.firstAuth;
      const fresh = presigned && this.options.clock.now() / 1000 - presigned.timestamp <= FIRST_AUTH_MAX_AGE_SECONDS && generation === 1;
      ws.send(serializeMessage(fresh ? presigned : createAuthMessage(this.pair as KeyringPair, this.options.minerHotkey, this.options.clock.now())));
    } catch (e) {
      this.failure('closed', `sending authentication failed: ${(e as Error).message}`, {}, false);
    }
    this._state = 'open';
    for (const w of [...this.openWaiters]) w.settle(null);
    const stopKeepalive = keepWebSocketAlive(ws, { clock: this.options.clock, intervalMs: this.options.pingIntervalMs ?? 20_000, timeoutMs: this.options.pingTimeoutMs ?? 120_000 }, this.lifetime.signal, () => lastPong, (timeout) => {
      this.failure('closed', `no pong from the miner within ${timeout} ms; reconnecting`, {}, false);
    });
  }

  private onSocketClosed(code: number, reason: string): void {
    if (this._state === 'closed' || this._state === 'refused') return;
    const why = `socket closed by the miner (code ${code}${reason ? `, ${reason}` : ''})`;
    if (this.options.reconnect === false) {
      this.terminalFailure ??= this.failure('closed', why, {}, false);
      this._state = 'closed';
      this.failAll(this.terminalFailure);
      return;
    }
    this.failure('closed', `${why}; reconnecting`, {}, false);
    this._state = 'reconnecting';
    this.startConnecting();
  }

  // ---- receiving ----

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    if (!isBinary && typeof data !== 'string' && Buffer.isBuffer(data) && data.length === 4 && data.toString('latin1') === LEGACY_PING_FRAME) return;
    const parsed = parseMinerMessage(data, { isBinary });
    if (!parsed.ok) {
      const raw = rawPreview(data);
      const failure = this.failure('unparseable', parsed.reason, { raw }, true);
      this.reply(buildMessage(GenericError, { details: `Malformed message ${raw} from miner ${this.options.minerHotkey}: ${parsed.reason}` }));
      for (const w of [...this.waiters]) if (w.interrupt.has('unparseable')) w.settle({ ok: false, failure });
      return;
    }
    const message = parsed.message;
    try {
      this.options.onMessage?.(message);
    } catch {
      // an observer's bug must not break the connection
    }
    if (message.message_type === 'V0ExecutorManifestRequest' && !this._manifest) this._manifest = message;
    if (message.message_type === 'GenericError' || message.message_type === 'UnauthorizedError') this.onMinerError(message);
    this.dispatch(message);
  }

  private onMinerError(message: MinerMessageOf<'GenericError'> | MinerMessageOf<'UnauthorizedError'>): void {
    const details = message.details ?? '';
    const text = message.message_type === 'UnauthorizedError' ? `UnauthorizedError ${message.code}${details ? `: ${details}` : ''}` : `GenericError: ${details}`;
    const refused = message.message_type === 'GenericError' && REFUSAL_PATTERNS.some((p) => p.test(details));
    const failure = this.failure('miner-error', refused ? `miner refused the connection: ${details}` : text, { message }, true);
    if (refused) {
      this.terminalFailure ??= failure;
      this._state = 'refused';
      const ws = this.ws;
      this.ws = null;
      this.generation++;
      if (ws) void closeSocket(ws, this.options.clock);
      // waiters for other message types can never be served now; those waiting for errors get the message below
      for (const w of [...this.waiters]) if (!w.types.has(message.message_type)) w.settle({ ok: false, failure });
      for (const w of [...this.openWaiters]) w.settle(failure);
    }
  }

  private dispatch(message: MinerToValidatorMessage): void {
    for (const w of this.waiters) {
      if (w.types.has(message.message_type) && this.isForJob(message, w.jobUuid)) {
        w.settle({ ok: true, message });
        return;
      }
    }
    const isError = message.message_type === 'GenericError' || message.message_type === 'UnauthorizedError';
    let consumed = false;
    for (const w of [...this.waiters]) {
      if (isError && w.interrupt.has('miner-error')) {
        const last = this._failures[this._failures.length - 1];
        w.settle({ ok: false, failure: last?.message === message ? last : this.failure('miner-error', String((message as GenericError).details), { message }, false) });
        consumed = true;
      } else if (!isError && w.interrupt.has('unexpected') && this.isForJob(message, w.jobUuid) && !(JOBLESS_MINER_MESSAGE_TYPES as readonly string[]).includes(message.message_type)) {
        w.settle({ ok: false, failure: this.failure('unexpected', `expected ${[...w.types].join('|')}, got ${message.message_type}`, { message }, true) });
        consumed = true;
      }
    }
    if (consumed) return;
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUED_MESSAGES) this.queue.splice(0, this.queue.length - MAX_QUEUED_MESSAGES);
  }

  private isForJob(message: MinerToValidatorMessage, jobUuid: string | undefined): boolean {
    if (jobUuid === undefined) return true;
    const own = (message as { job_uuid?: unknown }).job_uuid;
    return own === undefined || own === jobUuid;
  }

  // ---- plumbing ----

  private whenOpen(timeoutMs: number | undefined, signal: AbortSignal | undefined, what: string): Promise<MinerConnectionFailure | null> {
    if (this._state === 'open') return Promise.resolve(null);
    if (this.terminalFailure) return Promise.resolve(this.terminalFailure);
    return new Promise((resolve) => {
      const timer = new AbortController();
      let done = false;
      const w: OpenWaiter = {
        settle: (failure) => {
          if (done) return;
          done = true;
          this.openWaiters.delete(w);
          timer.abort();
          signal?.removeEventListener('abort', onAbort);
          resolve(failure);
        },
      };
      const onAbort = () => w.settle(this.failure('aborted', `${what} aborted`, {}, false));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.openWaiters.add(w);
      if (timeoutMs !== undefined) {
        this.options.clock.sleep(timeoutMs, timer.signal).then(
          () => w.settle(this.failure('timeout', `${what}: no connection to miner ${this.options.minerHotkey} within ${timeoutMs} ms`, {}, false)),
          () => undefined,
        );
      }
    });
  }

  private failAll(failure: MinerConnectionFailure): void {
    for (const w of [...this.waiters]) w.settle({ ok: false, failure });
    for (const w of [...this.openWaiters]) w.settle(failure);
  }

  private reply(message: ValidatorToMinerMessage): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    try {
      ws.send(serializeMessage(message), () => undefined);
    } catch {
      // best effort, like the reference
    }
  }

  /** Builds a failure; `record` adds it to `failures` and tells onFailure (caller-side timeouts are not recorded twice). */
  private failure(kind: MinerConnectionFailureKind, reason: string, extra: { message?: MinerToValidatorMessage; raw?: string }, record: boolean): MinerConnectionFailure {
    const failure: MinerConnectionFailure = { kind, reason, ...extra, at: this.options.clock.now() };
    if (record || kind !== 'aborted') {
      this._failures.push(failure);
      if (this._failures.length > MAX_RECORDED_FAILURES) this._failures.splice(0, this._failures.length - MAX_RECORDED_FAILURES);
      try {
        this.options.onFailure?.(failure);
      } catch {
        // an observer's bug must not break the connection
      }
    }
    return failure;
  }
}
