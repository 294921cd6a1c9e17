import { createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { Duplex } from 'stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SystemClock, type Clock } from '../../config/clock';
import {
  authRefusalDetails, buildMessage, checkAuthAsMiner, GenericError, parseValidatorMessage, V0AcceptJobRequest, V0DeclineJobRequest,
  V0ExecutorManifestRequest, V0ExecutorReadyRequest, V0MainHotkeyMessage,
  type ExecutorClass, type Receipt, type ReceiptPayload, type V0InitialJobRequest, type V0JobRequest, type ValidatorAuthForMiner, type ValidatorToMinerMessage,
} from '../../protocol';
import { HONEST } from './behaviour';
import { EchoHashRunner } from './echo-hash.runner';
import { executeJob, type JobExecutionContext } from './job-execution';
import { SimulatedJobRunnerRegistry } from './job-runner';
import { sendGarbage, slowDown } from './misbehaviours';
import { ReceiptBook } from './receipt-book';
import { finishJob, type SimulatedExecutor, type SimulatedJob } from './simulated-job';
import type { SimulatedMinerEvent, SimulatedMinerOptions } from './simulated-miner-options';
import { sendToSession, type ValidatorSession } from './validator-session';

export type { SimulatedMinerEvent, SimulatedMinerOptions } from './simulated-miner-options';
export { SIMULATED_EXECUTOR_CERTIFICATE } from './job-execution';

const VALIDATOR_PATH = /^\/v0\.1\/validator_interface\/([^/]+)$/;

/**
 * A miner that speaks the real protocol over a real WebSocket (spec/miner-protocol.md, miner side):
 * authentication checks in the miner's order with its error texts, manifest, accept/decline with excuse
 * receipts, executor readiness, job execution through SimulatedJobRunners (job-execution.ts), countersigned
 * receipts (receipt-book.ts), and the receipt pages over HTTP on the same port (receipt-pages.ts).
 */
export class SimulatedMiner {
  readonly hotkey: string;
  readonly events: SimulatedMinerEvent[] = [];
  private readonly book: ReceiptBook;
  /** Every receipt this miner countersigned, in order. */
  readonly receipts: Receipt[];
  private readonly executors: SimulatedExecutor[];
  private readonly jobs = new Map<string, SimulatedJob>();
  private readonly clock: Clock;
  private readonly execution: JobExecutionContext;
  private readonly sessions = new Set<ValidatorSession>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 50 * 2 ** 20, perMessageDeflate: false });
  private server!: Server;
  private _port = 0;
  private stopped = false;

  private constructor(private readonly options: SimulatedMinerOptions) {
    this.hotkey = options.hotkey.address;
    this.clock = options.clock ?? new SystemClock();
    this.book = new ReceiptBook(options.hotkey);
    this.receipts = this.book.receipts;
    this.executors = options.executors.map((config) => ({ config, behaviour: config.behaviour ?? options.behaviour ?? HONEST, busyWith: null }));
    const miner = this;
    this.execution = {
      get host() { return miner.host; },
      get port() { return miner._port; },
      hotkey: options.hotkey,
      clock: this.clock,
      runners: new SimulatedJobRunnerRegistry(options.runners ?? [new EchoHashRunner()]),
      enforceDeadlines: options.enforceDeadlines ?? false,
      sendToValidator: (job, message) => this.sendToValidator(job, message),
      log: (kind, ctx, detail) => this.log(kind, ctx, detail),
    };
  }

  static async start(options: SimulatedMinerOptions): Promise<SimulatedMiner> {
    const miner = new SimulatedMiner(options);
    await miner.listen();
    return miner;
  }

  get port(): number {
    return this._port;
  }
  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }
  get address(): string {
    return `${this.host}:${this._port}`;
  }

  /** Executor class -> count, as sent in the manifest. */
  get manifest(): Partial<Record<ExecutorClass, number>> {
    const m: Partial<Record<ExecutorClass, number>> = {};
    for (const e of this.executors) m[e.config.executorClass] = (m[e.config.executorClass] ?? 0) + 1;
    return m;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const job of this.jobs.values()) job.abort.abort();
    for (const s of this.sessions) s.ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections?.();
      this.server.close(() => resolve());
    });
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => this.book.pages.serve(req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.server.on('clientError', (_e, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.host, () => resolve());
    });
    this._port = (this.server.address() as AddressInfo).port;
  }

  // ---- WebSocket: validator interface ----

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const m = VALIDATOR_PATH.exec((req.url ?? '').split('?')[0]);
    if (!m || this.stopped) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const validator = decodeURIComponent(m[1]);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, validator));
  }

  private onConnection(ws: WebSocket, validator: string): void {
    const session: ValidatorSession = { ws, validator, authenticated: false, pending: [], chain: Promise.resolve() };
    this.sessions.add(session);
    ws.on('error', () => undefined);
    ws.on('close', () => this.sessions.delete(session));
    const { knownValidators, inactiveValidators } = this.options;
    if (knownValidators && !knownValidators.includes(validator)) return this.refuse(session, `Unknown validator: ${validator}`);
    if (inactiveValidators?.includes(validator)) return this.refuse(session, `Inactive validator: ${validator}`);
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? null : data.toString();
      session.chain = session.chain.then(() => this.onFrame(session, frame)).catch((e) => this.log('protocol-error', { validator }, String(e)));
    });
  }

  private refuse(session: ValidatorSession, details: string): void {
    this.log('auth-refused', { validator: session.validator }, details);
    sendToSession(session, buildMessage(GenericError, { details }));
    session.ws.close(1000);
  }

  private async onFrame(session: ValidatorSession, frame: string | null): Promise<void> {
    const parsed = parseValidatorMessage(frame ?? Buffer.alloc(0), { isBinary: frame === null });
    if (!parsed.ok) {
      this.log('malformed', { validator: session.validator }, parsed.reason);
      sendToSession(session, buildMessage(GenericError, { details: `Malformed message: ${parsed.reason}` }));
      return;
    }
    const msg = parsed.message;
    if (msg.message_type === 'ValidatorAuthForMiner') return this.onAuth(session, msg);
    if (!session.authenticated) {
      session.pending.push(frame as string);
      return;
    }
    await this.onMessage(session, msg);
  }

  private async onAuth(session: ValidatorSession, msg: ValidatorAuthForMiner): Promise<void> {
    const reason = checkAuthAsMiner(msg, {
      minerHotkey: this.hotkey,
      urlValidatorHotkey: session.validator,
      nowMs: this.clock.now(),
      isLocalMiner: this.options.isLocalMiner,
    });
    if (reason !== null) return this.refuse(session, authRefusalDetails(session.validator, reason));
    session.authenticated = true;
    this.log('authenticated', { validator: session.validator }, 'ok');
    sendToSession(session, buildMessage(V0ExecutorManifestRequest, { manifest: this.manifest }));
    for (const frame of session.pending) {
      const parsed = parseValidatorMessage(frame);
      if (parsed.ok && parsed.message.message_type !== 'ValidatorAuthForMiner') await this.onMessage(session, parsed.message);
    }
    // reconnect support (§4.3): re-announce jobs of this validator that wait for their payload
    for (const job of this.jobs.values()) {
      if (job.state === 'waiting-for-payload' && job.validator === session.validator) {
        sendToSession(session, buildMessage(V0ExecutorReadyRequest, { job_uuid: job.uuid, executor_token: null }));
      }
    }
  }

  private async onMessage(session: ValidatorSession, msg: ValidatorToMinerMessage): Promise<void> {
    switch (msg.message_type) {
      case 'V0InitialJobRequest':
        return this.onInitialJobRequest(session, msg);
      case 'V0JobRequest':
        return this.onJobRequest(session, msg);
      case 'V0JobAcceptedReceiptRequest':
      case 'V0JobFinishedReceiptRequest':
        this.storeReceipt(session, msg.payload, msg.signature);
        if (msg.message_type === 'V0JobFinishedReceiptRequest') this.releaseJob(msg.payload.job_uuid);
        return;
      case 'V0MainHotkeyMessage':
        sendToSession(session, buildMessage(V0MainHotkeyMessage, { main_hotkey: this.options.mainHotkey === undefined ? this.hotkey : this.options.mainHotkey }));
        return;
      case 'GenericError':
        this.log('protocol-error', { validator: session.validator }, `validator sent GenericError: ${msg.details ?? ''}`);
        return;
    }
  }

  /** Invalid receipts are skipped silently, as the miner does (only the event log names why). */
  private storeReceipt(session: ValidatorSession, payload: ReceiptPayload, signature: string): void {
    const ctx = { validator: session.validator, jobUuid: payload.job_uuid };
    const why = this.book.store(session.validator, payload, signature, this.clock.now());
    if (why) this.log('receipt-rejected', ctx, `${payload.receipt_type}: ${why}`);
    else this.log('receipt-stored', ctx, payload.receipt_type);
  }

  // ---- jobs ----

  private async onInitialJobRequest(session: ValidatorSession, msg: V0InitialJobRequest): Promise<void> {
    const ctx = { validator: session.validator, jobUuid: msg.job_uuid };
    const decline = (reason: 'busy' | 'validator_blacklisted', receipts: Receipt[]) =>
      sendToSession(session, buildMessage(V0DeclineJobRequest, { job_uuid: msg.job_uuid, message: '', reason, receipts, context: null }));
    if (this.options.blacklistedValidators?.includes(session.validator)) {
      this.log('job-declined', ctx, 'validator_blacklisted');
      return decline('validator_blacklisted', []);
    }
    this.storeReceipt(session, msg.job_started_receipt_payload, msg.job_started_receipt_signature);
    const executor = this.executors.find((e) => e.config.executorClass === msg.executor_class && e.busyWith === null);
    if (!executor) {
      this.log('job-declined', ctx, 'busy');
      return decline('busy', this.book.excusesFor(msg));
    }
    const b = executor.behaviour;
    if (b.kind === 'decline') {
      this.log('job-declined', ctx, `busy (excuse ${b.excuse})`);
      return decline('busy', this.book.madeUpExcuses(msg, b, this.options.excuseSigners ?? [], this.clock.now()));
    }
    if (b.kind === 'silent' && b.after === 'initial-request') return;
    if (b.kind === 'garbage' && b.after === 'initial-request') return sendGarbage(session, b.count ?? 3);
    executor.busyWith = msg.job_uuid;
    const job: SimulatedJob = { uuid: msg.job_uuid, validator: session.validator, initial: msg, executor, state: 'waiting-for-executor', abort: new AbortController() };
    this.jobs.set(job.uuid, job);
    await slowDown(this.clock, job, 'accept');
    sendToSession(session, buildMessage(V0AcceptJobRequest, { job_uuid: job.uuid }));
    this.log('job-accepted', ctx, executor.config.executorClass);
    if (b.kind === 'disconnect' && b.after === 'accept') return this.disconnect(session, job);
    if (b.kind === 'silent' && b.after === 'accept') return;
    // the executor starts in the background; the miner keeps reading frames meanwhile
    void (async () => {
      try {
        await this.clock.sleep(this.options.spinUpMs ?? 0, job.abort.signal);
        await slowDown(this.clock, job, 'executorReady');
      } catch {
        return;
      }
      job.state = 'waiting-for-payload';
      this.sendToValidator(job, buildMessage(V0ExecutorReadyRequest, { job_uuid: job.uuid, executor_token: null }));
      if (b.kind === 'disconnect' && b.after === 'executor-ready') this.disconnect(session, job);
    })();
  }

  private async onJobRequest(session: ValidatorSession, msg: V0JobRequest): Promise<void> {
    const job = this.jobs.get(msg.job_uuid);
    if (!job || job.state === 'done') {
      sendToSession(session, buildMessage(GenericError, { details: `Received JobRequest for unknown job_uuid: ${msg.job_uuid}` }));
      return;
    }
    if (job.initial.volume && msg.volume) {
      sendToSession(session, buildMessage(GenericError, { details: `Received job volume twice job_uuid: ${msg.job_uuid}` }));
      return;
    }
    job.state = 'running';
    const b = job.executor.behaviour;
    if (b.kind === 'disconnect' && b.after === 'job-request') return this.disconnect(session, job);
    if (b.kind === 'silent' && b.after === 'job-request') return;
    if (b.kind === 'garbage' && b.after === 'job-request') return sendGarbage(session, b.count ?? 3);
    void executeJob(this.execution, job, msg).catch((e) => this.log('protocol-error', { jobUuid: job.uuid }, String(e)));
  }

  /** A finished receipt frees the executor of a job that is not running any more. */
  private releaseJob(jobUuid: string): void {
    const job = this.jobs.get(jobUuid);
    if (job && job.state !== 'running') finishJob(job);
  }

  private disconnect(session: ValidatorSession, job: SimulatedJob): void {
    job.abort.abort();
    finishJob(job);
    session.ws.terminate();
  }

  /** Job events go to every authenticated connection of the job's validator (reconnects included). */
  private sendToValidator(job: SimulatedJob, message: { message_type: string }): void {
    for (const s of this.sessions) if (s.authenticated && s.validator === job.validator) sendToSession(s, message);
  }

  private log(kind: SimulatedMinerEvent['kind'], ctx: { validator?: string; jobUuid?: string }, detail: string): void {
    this.events.push({ at: this.clock.now(), kind, ...ctx, detail });
    if (this.events.length > 10_000) this.events.splice(0, this.events.length - 10_000);
  }
}
