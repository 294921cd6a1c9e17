import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import type { Duplex } from 'stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KeyringPair } from '@polkadot/keyring/types';
import { SystemClock, type Clock } from '../../config/clock';
import {
  authRefusalDetails, buildMessage, canonicalDatetimeFromMs, checkAuthAsMiner, datetimeToEpochMicros, GenericError, jobStartedPayload,
  parseValidatorMessage, Receipt, receiptBlob, receiptPage, serializeMessage, serializeReceipt, signBlob, signReceiptPayload,
  V0AcceptJobRequest, V0DeclineJobRequest, V0ExecutionDoneRequest, V0ExecutorManifestRequest, V0ExecutorReadyRequest,
  V0HordeFailedRequest, V0JobFailedRequest, V0JobFinishedRequest, V0MainHotkeyMessage, V0StreamingJobReadyRequest, V0VolumesReadyRequest,
  streamingReadyBlob, verifyReceiptValidatorSignature,
  type ExecutorClass, type JobFailureReason, type JobStage, type ReceiptPayload, type V0InitialJobRequest, type V0JobRequest,
  type ValidatorAuthForMiner, type ValidatorToMinerMessage,
} from '../../protocol';
import { HONEST, type ExecutorBehaviour, type SimulatedExecutorConfig } from './behaviour';
import { EchoHashRunner } from './echo-hash.runner';
import { ExecutorStepError, loadVolume, truncateOutput, uploadOutput } from './executor-work';
import { SimulatedJobRunnerRegistry, type SimulatedJobOutput, type SimulatedJobRunner } from './job-runner';
import { runStreamingExecutor } from './streaming-executor';

export interface SimulatedMinerOptions {
  hotkey: KeyringPair;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  executors: SimulatedExecutorConfig[];
  /** Behaviour of executors that do not set their own. Default honest. */
  behaviour?: ExecutorBehaviour;
  /** Job runners tried in order (default: [EchoHashRunner]). */
  runners?: SimulatedJobRunner[];
  /** Validators this miner knows; undefined accepts every validator. */
  knownValidators?: readonly string[];
  /** Known but inactive validators. */
  inactiveValidators?: readonly string[];
  /** Validators this miner declines with reason validator_blacklisted (before any receipt handling). */
  blacklistedValidators?: readonly string[];
  /** "Local" miners (the trusted miner) skip the miner-hotkey check of the auth message. */
  isLocalMiner?: boolean;
  /** Other validators' keys that sign the excuse receipts of 'decline' executors with excuse 'valid'. */
  excuseSigners?: readonly KeyringPair[];
  /** Answer to V0MainHotkeyMessage; default the miner's own hotkey. */
  mainHotkey?: string | null;
  /** Time it takes an executor to become ready after accept, ms. Default 0. */
  spinUpMs?: number;
  /**
   * Enforce the executor's cumulative stage deadlines (executor_timing, else timeout_seconds; §9.3) and
   * answer V0JobFailedRequest(timeout, stage) when one passes. Default false.
   */
  enforceDeadlines?: boolean;
  clock?: Clock;
}

/** Something the simulated miner did or refused, for tests and the CLI log. */
export interface SimulatedMinerEvent {
  at: number;
  kind: 'auth-refused' | 'authenticated' | 'malformed' | 'receipt-stored' | 'receipt-rejected' | 'job-accepted' | 'job-declined' | 'job-finished' | 'job-failed' | 'protocol-error';
  validator?: string;
  jobUuid?: string;
  detail: string;
}

interface Executor {
  config: SimulatedExecutorConfig;
  behaviour: ExecutorBehaviour;
  busyWith: string | null;
}

interface Job {
  uuid: string;
  /** The URL hotkey of the connection that started it (job events go to that validator's connections). */
  validator: string;
  initial: V0InitialJobRequest;
  executor: Executor;
  state: 'waiting-for-executor' | 'waiting-for-payload' | 'running' | 'done';
  abort: AbortController;
}

interface Session {
  ws: WebSocket;
  validator: string;
  authenticated: boolean;
  pending: string[];
  chain: Promise<void>;
}

/** Stand-in for the executor's certificate of a streaming job whose image has no server mode here (no endpoint is served). */
export const SIMULATED_EXECUTOR_CERTIFICATE = '-----BEGIN CERTIFICATE-----\nsimulated executor: no streaming endpoint\n-----END CERTIFICATE-----\n';

const VALIDATOR_PATH = /^\/v0\.1\/validator_interface\/([^/]+)$/;
const RECEIPTS_PATH = /^\/receipts\/(\d+)\.jsonl$/;

/**
 * A miner that speaks the real protocol over a real WebSocket (spec/miner-protocol.md, miner side):
 * authentication checks in the miner's order with its error texts, manifest, accept/decline with excuse
 * receipts, executor readiness, job execution through SimulatedJobRunners, countersigned receipts, and the
 * receipt pages over HTTP on the same port.
 */
export class SimulatedMiner {
  readonly hotkey: string;
  readonly events: SimulatedMinerEvent[] = [];
  /** Every receipt this miner countersigned, in order. */
  readonly receipts: Receipt[] = [];
  private readonly pages = new Map<number, string>();
  private readonly executors: Executor[];
  private readonly jobs = new Map<string, Job>();
  private readonly runners: SimulatedJobRunnerRegistry;
  private readonly clock: Clock;
  private readonly sessions = new Set<Session>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 50 * 2 ** 20, perMessageDeflate: false });
  private server!: Server;
  private _port = 0;
  private stopped = false;

  private constructor(private readonly options: SimulatedMinerOptions) {
    this.hotkey = options.hotkey.address;
    this.clock = options.clock ?? new SystemClock();
    this.runners = new SimulatedJobRunnerRegistry(options.runners ?? [new EchoHashRunner()]);
    this.executors = options.executors.map((config) => ({ config, behaviour: config.behaviour ?? options.behaviour ?? HONEST, busyWith: null }));
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
    this.server = createServer((req, res) => this.onHttp(req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.server.on('clientError', (_e, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.host, () => resolve());
    });
    this._port = (this.server.address() as AddressInfo).port;
  }

  // ---- HTTP: receipt pages (§10.4) ----

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    const m = RECEIPTS_PATH.exec((req.url ?? '').split('?')[0]);
    if (req.method !== 'GET' || !m) {
      res.writeHead(404).end();
      return;
    }
    const body = Buffer.from(this.pages.get(Number(m[1])) ?? '', 'utf8');
    if (!this.pages.has(Number(m[1]))) {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Content-Type': 'application/jsonl' });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/jsonl', 'Content-Length': String(body.length) }).end(body);
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
    const session: Session = { ws, validator, authenticated: false, pending: [], chain: Promise.resolve() };
    this.sessions.add(session);
    ws.on('error', () => undefined);
    ws.on('close', () => this.sessions.delete(session));
    const { knownValidators, inactiveValidators } = this.options;
    if (knownValidators && !knownValidators.includes(validator)) return this.refuse(session, `Unknown validator: ${validator}`);
    if (inactiveValidators?.includes(validator)) return this.refuse(session, `Inactive validator: ${validator}`);
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? null : data.toString();
      // frames are handled strictly one at a time, like the miner's consumer
      session.chain = session.chain.then(() => this.onFrame(session, frame)).catch((e) => this.log('protocol-error', { validator }, String(e)));
    });
  }

  private refuse(session: Session, details: string): void {
    this.log('auth-refused', { validator: session.validator }, details);
    this.send(session, buildMessage(GenericError, { details }));
    session.ws.close(1000);
  }

  private async onFrame(session: Session, frame: string | null): Promise<void> {
    const parsed = parseValidatorMessage(frame ?? Buffer.alloc(0), { isBinary: frame === null });
    if (!parsed.ok) {
      this.log('malformed', { validator: session.validator }, parsed.reason);
      this.send(session, buildMessage(GenericError, { details: `Malformed message: ${parsed.reason}` }));
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

  private async onAuth(session: Session, msg: ValidatorAuthForMiner): Promise<void> {
    const reason = checkAuthAsMiner(msg, {
      minerHotkey: this.hotkey,
      urlValidatorHotkey: session.validator,
      nowMs: this.clock.now(),
      isLocalMiner: this.options.isLocalMiner,
    });
    if (reason !== null) return this.refuse(session, authRefusalDetails(session.validator, reason));
    session.authenticated = true;
    this.log('authenticated', { validator: session.validator }, 'ok');
    this.send(session, buildMessage(V0ExecutorManifestRequest, { manifest: this.manifest }));
    for (const frame of session.pending) {
      const parsed = parseValidatorMessage(frame);
      if (parsed.ok && parsed.message.message_type !== 'ValidatorAuthForMiner') await this.onMessage(session, parsed.message);
    }
    // reconnect support (§4.3): re-announce jobs of this validator that wait for their payload
    for (const job of this.jobs.values()) {
      if (job.state === 'waiting-for-payload' && job.validator === session.validator) {
        this.send(session, buildMessage(V0ExecutorReadyRequest, { job_uuid: job.uuid, executor_token: null }));
      }
    }
  }

  private async onMessage(session: Session, msg: ValidatorToMinerMessage): Promise<void> {
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
        this.send(session, buildMessage(V0MainHotkeyMessage, { main_hotkey: this.options.mainHotkey === undefined ? this.hotkey : this.options.mainHotkey }));
        return;
      case 'GenericError':
        this.log('protocol-error', { validator: session.validator }, `validator sent GenericError: ${msg.details ?? ''}`);
        return;
    }
  }

  // ---- receipts ----

  /** Verifies and countersigns a validator receipt; invalid ones are skipped silently, as the miner does. */
  private storeReceipt(session: Session, payload: ReceiptPayload, signature: string): boolean {
    const why =
      payload.miner_hotkey !== this.hotkey ? 'wrong miner hotkey'
      : payload.validator_hotkey !== session.validator ? 'wrong validator hotkey'
      : !verifyReceiptValidatorSignature(payload, signature) ? 'invalid validator signature'
      : this.receipts.some((r) => r.payload.job_uuid === payload.job_uuid && r.payload.receipt_type === payload.receipt_type) ? 'duplicate receipt'
      : null;
    if (why) {
      this.log('receipt-rejected', { validator: session.validator, jobUuid: payload.job_uuid }, `${payload.receipt_type}: ${why}`);
      return false;
    }
    const receipt = Object.assign(new Receipt(), { payload, validator_signature: signature, miner_signature: signBlob(this.options.hotkey, receiptBlob(payload)) });
    this.receipts.push(receipt);
    const page = receiptPage(Math.floor(this.clock.now() / 1000));
    this.pages.set(page, (this.pages.get(page) ?? '') + serializeReceipt(receipt) + '\n');
    this.log('receipt-stored', { validator: session.validator, jobUuid: payload.job_uuid }, payload.receipt_type);
    return true;
  }

  /** JobStarted receipts that excuse a busy decline at time T (§9.2): organic, same class, valid at T, other jobs. */
  private excuseReceipts(initial: V0InitialJobRequest): Receipt[] {
    const t = datetimeToEpochMicros(initial.job_started_receipt_payload.timestamp);
    return this.receipts.filter((r) => {
      const p = r.payload;
      if (p.receipt_type !== 'JobStartedReceipt' || !p.is_organic || p.executor_class !== initial.executor_class || p.job_uuid === initial.job_uuid) return false;
      const start = datetimeToEpochMicros(p.timestamp);
      return start <= t && t <= start + BigInt(p.ttl) * 1_000_000n && !!r.miner_signature;
    });
  }

  /** Receipts for a 'decline' executor: organic JobStarted receipts of other validators' (made-up) jobs. */
  private madeUpExcuses(initial: V0InitialJobRequest, behaviour: Extract<ExecutorBehaviour, { kind: 'decline' }>): Receipt[] {
    if (behaviour.excuse === 'none') return [];
    const signers = this.options.excuseSigners ?? [];
    const count = behaviour.excuseCount ?? 1;
    const nowMs = this.clock.now();
    const out: Receipt[] = [];
    for (let i = 0; i < count; i++) {
      const signer = signers[i % Math.max(1, signers.length)] ?? this.options.hotkey;
      const payload = jobStartedPayload({
        job_uuid: randomUuid(),
        miner_hotkey: this.hotkey,
        validator_hotkey: signer.address,
        timestamp: canonicalDatetimeFromMs(nowMs - 1000),
        executor_class: initial.executor_class,
        is_organic: true,
        ttl: 60,
      });
      const blob = receiptBlob(payload);
      // forged: a signature by the wrong key (the miner's), which does not verify as the validator's
      const validatorSignature = behaviour.excuse === 'valid' && signers.length > 0 ? signBlob(signer, blob) : signBlob(this.options.hotkey, `${blob} `);
      out.push(Object.assign(new Receipt(), { payload, validator_signature: validatorSignature, miner_signature: signBlob(this.options.hotkey, blob) }));
    }
    return out;
  }

  // ---- jobs ----

  private async onInitialJobRequest(session: Session, msg: V0InitialJobRequest): Promise<void> {
    const ctx = { validator: session.validator, jobUuid: msg.job_uuid };
    if (this.options.blacklistedValidators?.includes(session.validator)) {
      this.log('job-declined', ctx, 'validator_blacklisted');
      this.send(session, buildMessage(V0DeclineJobRequest, { job_uuid: msg.job_uuid, message: '', reason: 'validator_blacklisted', receipts: [], context: null }));
      return;
    }
    this.storeReceipt(session, msg.job_started_receipt_payload, msg.job_started_receipt_signature);
    const executor = this.executors.find((e) => e.config.executorClass === msg.executor_class && e.busyWith === null);
    if (!executor) {
      this.log('job-declined', ctx, 'busy');
      this.send(session, buildMessage(V0DeclineJobRequest, { job_uuid: msg.job_uuid, message: '', reason: 'busy', receipts: this.excuseReceipts(msg), context: null }));
      return;
    }
    const b = executor.behaviour;
    if (b.kind === 'decline') {
      this.log('job-declined', ctx, `busy (excuse ${b.excuse})`);
      this.send(session, buildMessage(V0DeclineJobRequest, { job_uuid: msg.job_uuid, message: '', reason: 'busy', receipts: this.madeUpExcuses(msg, b), context: null }));
      return;
    }
    if (b.kind === 'silent' && b.after === 'initial-request') return;
    if (b.kind === 'garbage' && b.after === 'initial-request') return this.sendGarbage(session, b.count ?? 3);
    executor.busyWith = msg.job_uuid;
    const job: Job = { uuid: msg.job_uuid, validator: session.validator, initial: msg, executor, state: 'waiting-for-executor', abort: new AbortController() };
    this.jobs.set(job.uuid, job);
    await this.delay(job, 'accept');
    this.send(session, buildMessage(V0AcceptJobRequest, { job_uuid: job.uuid }));
    this.log('job-accepted', ctx, executor.config.executorClass);
    if (b.kind === 'disconnect' && b.after === 'accept') return this.disconnect(session, job);
    if (b.kind === 'silent' && b.after === 'accept') return;
    // the executor starts in the background; the miner keeps reading frames meanwhile
    void (async () => {
      try {
        await this.clock.sleep(this.options.spinUpMs ?? 0, job.abort.signal);
        await this.delay(job, 'executorReady');
      } catch {
        return;
      }
      job.state = 'waiting-for-payload';
      this.sendToValidator(job, buildMessage(V0ExecutorReadyRequest, { job_uuid: job.uuid, executor_token: null }));
      if (b.kind === 'disconnect' && b.after === 'executor-ready') this.disconnect(session, job);
    })();
  }

  private async onJobRequest(session: Session, msg: V0JobRequest): Promise<void> {
    const job = this.jobs.get(msg.job_uuid);
    if (!job || job.state === 'done') {
      this.send(session, buildMessage(GenericError, { details: `Received JobRequest for unknown job_uuid: ${msg.job_uuid}` }));
      return;
    }
    if (job.initial.volume && msg.volume) {
      this.send(session, buildMessage(GenericError, { details: `Received job volume twice job_uuid: ${msg.job_uuid}` }));
      return;
    }
    job.state = 'running';
    const b = job.executor.behaviour;
    if (b.kind === 'disconnect' && b.after === 'job-request') return this.disconnect(session, job);
    if (b.kind === 'silent' && b.after === 'job-request') return;
    if (b.kind === 'garbage' && b.after === 'job-request') return this.sendGarbage(session, b.count ?? 3);
    void this.runJob(job, msg).catch((e) => this.log('protocol-error', { jobUuid: job.uuid }, String(e)));
  }

  private async runJob(job: Job, request: V0JobRequest): Promise<void> {
    const fail = (reason: JobFailureReason, stage: JobStage, message: string, extra: Partial<V0JobFailedRequest> = {}) => {
      this.log('job-failed', { jobUuid: job.uuid }, `${reason} at ${stage}: ${message}`);
      this.sendToValidator(job, buildMessage(V0JobFailedRequest, {
        job_uuid: job.uuid, message, reason, stage, docker_process_exit_status: null, docker_process_stdout: null, docker_process_stderr: null, context: null, ...extra,
      }));
      this.finishJob(job);
    };
    // Streaming job whose image has a server mode here: a real mTLS endpoint (streaming-executor.ts).
    const server = job.initial.streaming_details ? this.runners.findServer(request) : undefined;
    if (server) {
      return runStreamingExecutor({
        uuid: job.uuid, initial: job.initial, request, runner: server, behaviour: job.executor.behaviour, host: this.host, hotkey: this.options.hotkey,
        clock: this.clock, signal: job.abort.signal, send: (m) => this.sendToValidator(job, m), log: (kind, detail) => this.log(kind, { jobUuid: job.uuid }, detail),
        finish: () => this.finishJob(job),
      });
    }
    const runner = this.runners.find(request);
    if (!runner) {
      this.sendToValidator(job, buildMessage(V0HordeFailedRequest, {
        job_uuid: job.uuid, reported_by: 'executor', reason: 'generic_error', message: `no simulated runner plays image ${request.docker_image}`, context: null,
      }));
      this.log('job-failed', { jobUuid: job.uuid }, `no runner for ${request.docker_image}`);
      return this.finishJob(job);
    }
    const deadlines = this.stageDeadlines(job.initial);
    const late = (stage: 'volumes' | 'execution' | 'upload') => deadlines !== null && this.clock.now() > deadlines[stage];
    let volume: Map<string, Buffer>;
    try {
      volume = await loadVolume(job.initial.volume ?? request.volume);
    } catch (e) {
      return fail('download_failed', 'volume_download', (e as Error).message);
    }
    if (!(await this.delayOk(job, 'volumesReady'))) return;
    if (late('volumes')) return fail('timeout', 'volume_download', 'Timed out downloading volumes');
    this.sendToValidator(job, buildMessage(V0VolumesReadyRequest, { job_uuid: job.uuid }));
    if (job.initial.streaming_details) {
      // protocol only: the ready message is real and signed, but no TLS streaming endpoint is served
      const ready = { job_uuid: job.uuid, executor_token: null, public_key: SIMULATED_EXECUTOR_CERTIFICATE, ip: this.host, port: this._port };
      this.sendToValidator(job, buildMessage(V0StreamingJobReadyRequest, {
        ...ready, miner_signature: signBlob(this.options.hotkey, streamingReadyBlob(ready.job_uuid, ready.ip, ready.port, ready.public_key)),
      }));
    }
    let output: SimulatedJobOutput;
    try {
      const run = runner.run(request, volume, { initial: job.initial, signal: job.abort.signal });
      const timedOut = deadlines === null ? null : await this.raceDeadline(run, deadlines.execution, job.abort.signal);
      if (timedOut === 'timeout') return fail('timeout', 'execution', 'Job container timed out');
      output = await run;
    } catch (e) {
      this.sendToValidator(job, buildMessage(V0HordeFailedRequest, {
        job_uuid: job.uuid, reported_by: 'executor', reason: 'unhandled_exception', message: `runner ${runner.name} failed: ${(e as Error).message}`, context: { stage: 'execution' },
      }));
      return this.finishJob(job);
    }
    if (job.executor.behaviour.kind === 'wrong-answer') output = corrupt(output);
    const stdout = output.stdout;
    const stderr = output.stderr ?? '';
    if ((output.exitCode ?? 0) !== 0) {
      return fail('nonzero_return_code', 'execution', `Job container exited with non-zero exit code: ${output.exitCode}`, {
        docker_process_exit_status: output.exitCode, docker_process_stdout: truncateOutput(stdout), docker_process_stderr: truncateOutput(stderr),
      });
    }
    if (!(await this.delayOk(job, 'executionDone'))) return;
    this.sendToValidator(job, buildMessage(V0ExecutionDoneRequest, { job_uuid: job.uuid }));
    const outputFiles = new Map<string, Buffer>([['stdout.txt', Buffer.from(stdout)], ['stderr.txt', Buffer.from(stderr)]]);
    for (const [k, v] of Object.entries(output.outputFiles ?? {})) outputFiles.set(k, Buffer.from(v));
    let uploadResults: Record<string, string>;
    try {
      uploadResults = await uploadOutput(request.output_upload, outputFiles);
    } catch (e) {
      return fail(e instanceof ExecutorStepError ? 'upload_failed' : 'unknown', 'result_upload', (e as Error).message);
    }
    const artifacts: Record<string, string> = {};
    if (request.artifacts_dir) {
      for (const [name, content] of Object.entries(output.artifacts ?? {})) {
        const buf = Buffer.from(content);
        if (buf.length < 1_000_000) artifacts[`${request.artifacts_dir.replace(/\/$/, '')}/${name}`] = buf.toString('base64');
      }
    }
    if (!(await this.delayOk(job, 'finished'))) return;
    if (late('upload')) return fail('timeout', 'result_upload', 'Timed out uploading results');
    this.sendToValidator(job, buildMessage(V0JobFinishedRequest, {
      job_uuid: job.uuid, docker_process_stdout: truncateOutput(stdout), docker_process_stderr: truncateOutput(stderr), artifacts, upload_results: uploadResults,
    }));
    this.log('job-finished', { jobUuid: job.uuid }, runner.name);
    this.finishJob(job);
  }

  /** Cumulative executor deadlines (clock ms) from the job request's arrival, or null when not enforced. */
  private stageDeadlines(initial: V0InitialJobRequest): { volumes: number; execution: number; upload: number } | null {
    if (!this.options.enforceDeadlines) return null;
    const start = this.clock.now();
    const t = initial.executor_timing;
    if (t) {
      const volumes = start + (t.allowed_leeway + t.download_time_limit) * 1000;
      const execution = volumes + (t.execution_time_limit + (initial.streaming_details ? t.streaming_start_time_limit : 0)) * 1000;
      return { volumes, execution, upload: execution + t.upload_time_limit * 1000 };
    }
    if (initial.timeout_seconds === null || initial.timeout_seconds === undefined) return null;
    const end = start + initial.timeout_seconds * 1000;
    return { volumes: end, execution: end, upload: end };
  }

  private async raceDeadline(work: Promise<unknown>, deadline: number, signal: AbortSignal): Promise<'done' | 'timeout'> {
    const timer = new AbortController();
    const abortTimer = () => timer.abort();
    signal.addEventListener('abort', abortTimer, { once: true });
    try {
      return await Promise.race([
        work.then(() => 'done' as const, () => 'done' as const),
        this.clock.sleep(Math.max(0, deadline - this.clock.now()), timer.signal).then(() => 'timeout' as const, () => 'done' as const),
      ]);
    } finally {
      timer.abort();
      signal.removeEventListener('abort', abortTimer);
    }
  }

  private finishJob(job: Job): void {
    job.state = 'done';
    if (job.executor.busyWith === job.uuid) job.executor.busyWith = null;
  }

  private releaseJob(jobUuid: string): void {
    const job = this.jobs.get(jobUuid);
    if (job && job.state !== 'running') this.finishJob(job);
  }

  private disconnect(session: Session, job: Job): void {
    job.abort.abort();
    this.finishJob(job);
    session.ws.terminate();
  }

  private sendGarbage(session: Session, count: number): void {
    const frames = ['{"message_type":', 'not json at all', '{"message_type":"V0AcceptJobRequest"}', '{"message_type":"NoSuchMessage","job_uuid":"x"}', '[1,2,3]', '{"message_type":"V0JobFinishedRequest","job_uuid":1}'];
    for (let i = 0; i < count; i++) {
      if (session.ws.readyState !== session.ws.OPEN) return;
      if (i % 7 === 6) session.ws.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true });
      else session.ws.send(frames[i % frames.length]);
    }
  }

  private async delay(job: Job, stage: keyof Extract<ExecutorBehaviour, { kind: 'slow' }>['delaysMs']): Promise<void> {
    const b = job.executor.behaviour;
    if (b.kind === 'slow' && b.delaysMs[stage]) await this.clock.sleep(b.delaysMs[stage] as number, job.abort.signal);
  }

  private async delayOk(job: Job, stage: keyof Extract<ExecutorBehaviour, { kind: 'slow' }>['delaysMs']): Promise<boolean> {
    try {
      await this.delay(job, stage);
      return !job.abort.signal.aborted;
    } catch {
      return false;
    }
  }

  /** Job events go to every authenticated connection of the job's validator (reconnects included). */
  private sendToValidator(job: Job, message: { message_type: string }): void {
    for (const s of this.sessions) if (s.authenticated && s.validator === job.validator) this.send(s, message);
  }

  private send(session: Session, message: { message_type: string }): void {
    if (session.ws.readyState !== session.ws.OPEN) return;
    session.ws.send(serializeMessage(message), () => undefined);
  }

  private log(kind: SimulatedMinerEvent['kind'], ctx: { validator?: string; jobUuid?: string }, detail: string): void {
    this.events.push({ at: this.clock.now(), kind, ...ctx, detail });
    if (this.events.length > 10_000) this.events.splice(0, this.events.length - 10_000);
  }
}

function corrupt(output: SimulatedJobOutput): SimulatedJobOutput {
  const flip = (v: Buffer | string): Buffer => Buffer.from(Buffer.from(v).map((b) => b ^ 0x5a));
  const mapValues = (r: Record<string, Buffer | string> | undefined) => (r ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, flip(v)])) : r);
  return { ...output, stdout: `wrong answer ${output.stdout.split('').reverse().join('')}`, outputFiles: mapValues(output.outputFiles), artifacts: mapValues(output.artifacts) };
}

function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}
