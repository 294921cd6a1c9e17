import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Timeout } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { WebSocket } from 'ws';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import {
  authenticationRequestText, FacilitatorResponse, HEARTBEAT_TEXT, JobStatusUpdate, jobStatusUpdateText, parseFacilitatorFrame, V2JobRequest,
} from '../../protocol/facilitator';
import { OrganicJobPipeline, PipelineHooks } from '../organic-job-pipeline.service';
import { CheatReportService } from '../post/cheat-report.service';
import { Batcher } from '../../receipts/batcher';

export interface FacilitatorClientOptions {
  uri: string;
  heartbeatMs: number;
  /** Reconnect backoff: initial, maximum, and after the facilitator refused our authentication. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  authRefusedBackoffMs: number;
  authTimeoutMs: number;
  pingIntervalMs: number;
  maxPayloadBytes: number;
  /** Jobs driven at the same time; further job requests wait for a slot. */
  maxConcurrentJobs: number;
  /** Benchmark hooks, called per job. */
  jobHooks?: (uuid: string) => PipelineHooks;
  /** Called when a status frame was handed to the socket (benchmark). */
  onStatusSent?: (update: JobStatusUpdate) => void;
}
export const FACILITATOR_CLIENT_OPTIONS = Symbol('FACILITATOR_CLIENT_OPTIONS');

type State = 'stopped' | 'connecting' | 'flushing' | 'ready';

interface OutboxRow {
  /** undefined while the row is being written; null when it could not be (or was already) written. */
  id: string | undefined | null;
  frame: string;
  update?: JobStatusUpdate;
  /** An acknowledgement that arrived before the row's id was known. */
  ack?: string | null;
  sentOn?: WebSocket;
}

/**
 * The validator's connection to the facilitator (organic-jobs.md §2): authenticates with the hotkey,
 * heartbeats every 60 s, reconnects with backoff for as long as the process lives, parses every frame,
 * runs each job request through the pipeline and delivers status updates through a persistent outbox
 * (one row per job and status) that is replayed in order after every (re)authentication; a row is
 * done when the facilitator answered it.
 */
@Injectable()
export class FacilitatorClientService implements OnApplicationShutdown {
  private readonly logger = new Logger(FacilitatorClientService.name);
  readonly options: FacilitatorClientOptions;
  private state: State = 'stopped';
  private ws: WebSocket | null = null;
  private inflight: OutboxRow[] = [];
  private deferred: OutboxRow[] = [];
  private stopping: AbortController | null = null;
  private loopDone: Promise<void> | null = null;
  private readonly jobsInProgress = new Set<string>();
  private activeJobs = 0;
  private readonly waitingJobs: (() => void)[] = [];
  private authenticatedOnce: (() => void)[] = [];
  /** Outbox writes still running (awaited on stop so none outlives the database). */
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private readonly jobChains = new Map<string, Promise<void>>();
  private readonly unsentPerJob = new Map<string, number>();
  private pendingAcks: { id: string; error: string | null }[] = [];
  /** Outbox rows are inserted in bursts; each caller gets its row id (null if that status was already queued). */
  private readonly outboxWriter = new Batcher<{ uuid: string; status: string; frame: string }, string | null>(async (items) => {
    const params: string[] = [];
    const values = items.map((it) => {
      params.push(it.uuid, it.status, it.frame);
      return `($${params.length - 2}, $${params.length - 1}, $${params.length})`;
    });
    const rows: { id: string; job_uuid: string; status: string }[] = await this.dataSource.query(
      `INSERT INTO facilitator_outbox (job_uuid, status, frame) VALUES ${values.join(',')}
       ON CONFLICT (job_uuid, status) DO NOTHING RETURNING id::text AS id, job_uuid, status`, params);
    const ids = new Map(rows.map((r) => [`${r.job_uuid}\u0000${r.status}`, r.id]));
    // the same (job, status) twice in one burst: only the first caller gets the id
    return items.map((it) => {
      const key = `${it.uuid}\u0000${it.status}`;
      const id = ids.get(key) ?? null;
      ids.delete(key);
      return id;
    });
  });
  private ackTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly hotkey: ValidatorHotkey,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly events: SystemEventsService,
    private readonly exclusive: ExclusiveRunner,
    private readonly pipeline: OrganicJobPipeline,
    private readonly cheats: CheatReportService,
    @Optional() @Inject(FACILITATOR_CLIENT_OPTIONS) options?: Partial<FacilitatorClientOptions>,
  ) {
    this.options = {
      uri: config.facilitator.FACILITATOR_URI, heartbeatMs: 60_000, backoffInitialMs: 2000, backoffMaxMs: 30_000, authRefusedBackoffMs: 120_000,
      authTimeoutMs: 10_000, pingIntervalMs: 20_000, maxPayloadBytes: 64 * 1024 * 1024, maxConcurrentJobs: 200, ...options,
    };
  }

  /** The daemon starts the client once it is up (schedules only fire in the daemon). */
  @Timeout('facilitator-client-start', 0)
  startInDaemon(): void {
    if (!this.options.uri) {
      this.logger.warn('FACILITATOR_URI is empty: not connecting to a facilitator');
      return;
    }
    this.start();
  }

  get connected(): boolean {
    return this.state === 'ready';
  }

  /** Starts the connect/serve loop in the background (idempotent). */
  start(): void {
    if (this.loopDone) return;
    this.stopping = new AbortController();
    const signal = this.stopping.signal;
    this.loopDone = this.exclusive
      .runExclusive('facilitator-client', () => this.loop(signal), { wait: true })
      .then(() => undefined, (e: unknown) => this.logger.error({ err: e }, 'facilitator client stopped on an error'));
  }

  /** Resolves when the client is authenticated (tests, the CLI command). */
  whenConnected(timeoutMs = 30_000): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`not connected to the facilitator within ${timeoutMs} ms`)), timeoutMs);
      this.authenticatedOnce.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Runs until `signal` aborts (connect-facilitator in the foreground). */
  async runUntil(signal: AbortSignal): Promise<void> {
    this.start();
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopping?.abort();
    this.ws?.terminate();
    await this.loopDone;
    this.loopDone = null;
    this.state = 'stopped';
    await Promise.allSettled([...this.pendingWrites]);
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    await this.writeAcks();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Jobs still being driven. */
  get jobsRunning(): number {
    return this.jobsInProgress.size;
  }

  // ---- connection loop ----

  private async loop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let result: { authenticated: boolean; refused: boolean; reason: string };
      try {
        result = await this.connectOnce(signal);
      } catch (e) {
        result = { authenticated: false, refused: false, reason: e instanceof Error ? e.message : String(e) };
      }
      if (signal.aborted) break;
      failures = result.authenticated ? 1 : failures + 1;
      const base = result.refused
        ? this.options.authRefusedBackoffMs
        : Math.min(this.options.backoffMaxMs, this.options.backoffInitialMs * 2 ** Math.max(0, failures - 1));
      const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
      const log = result.refused ? this.logger.error.bind(this.logger) : this.logger.warn.bind(this.logger);
      log({ uri: this.options.uri, reason: result.reason, retryInMs: delay }, 'facilitator connection ended; reconnecting');
      try {
        await this.clock.sleep(delay, signal);
      } catch {
        break;
      }
    }
  }

  private connectOnce(signal: AbortSignal): Promise<{ authenticated: boolean; refused: boolean; reason: string }> {
    const pair = this.hotkey.pair; // throws the wallet's clear error when no hotkey is loaded
    return new Promise((resolve) => {
      this.state = 'connecting';
      let authenticated = false;
      let refused = false;
      let reason = 'closed';
      let pingTimer: NodeJS.Timeout | undefined;
      let heartbeatTimer: NodeJS.Timeout | undefined;
      let authTimer: NodeJS.Timeout | undefined;
      const ws = new WebSocket(this.options.uri, {
        headers: { 'X-Validator-Runner-Version': this.config.core.VALIDATOR_RUNNER_VERSION || 'unknown', 'X-Validator-Version': this.config.core.VALIDATOR_VERSION || 'unknown' },
        maxPayload: this.options.maxPayloadBytes,
        handshakeTimeout: 10_000,
      });
      this.ws = ws;
      const onAbort = () => ws.terminate();
      signal.addEventListener('abort', onAbort, { once: true });
      let alive = true;

      ws.on('open', () => {
        ws.send(authenticationRequestText(pair));
        authTimer = setTimeout(() => {
          reason = 'no answer to the authentication request';
          ws.terminate();
        }, this.options.authTimeoutMs);
        pingTimer = setInterval(() => {
          if (!alive) {
            reason = 'no pong from the facilitator';
            ws.terminate();
            return;
          }
          alive = false;
          ws.ping();
        }, this.options.pingIntervalMs);
      });
      ws.on('pong', () => (alive = true));
      ws.on('message', (data, isBinary) => {
        alive = true;
        if (isBinary) {
          this.logger.warn({ bytes: (data as Buffer).length }, 'binary frame from the facilitator ignored');
          return;
        }
        const text = data.toString();
        if (!authenticated) {
          clearTimeout(authTimer);
          const parsed = parseFacilitatorFrame(text);
          if (parsed.kind === 'response' && parsed.message.status === 'success') {
            authenticated = true;
            this.onAuthenticated(ws);
            heartbeatTimer = setInterval(() => this.heartbeat(ws), this.options.heartbeatMs);
          } else {
            refused = parsed.kind === 'response';
            reason = parsed.kind === 'response' ? `authentication refused: ${parsed.message.errors.map((e) => `${e.type}: ${e.msg}`).join('; ')}` : `unexpected answer to authentication: ${parsed.kind === 'malformed' ? parsed.reason : parsed.kind}`;
            ws.close();
          }
          return;
        }
        this.onFrame(text);
      });
      ws.on('error', (e) => {
        reason = e.message;
      });
      ws.on('close', (code) => {
        if (code === 3000 || code === 3001) refused = true;
        if (code !== 1005 && code !== 1006) reason = `${reason} (close code ${code})`;
        clearTimeout(authTimer);
        clearInterval(pingTimer);
        clearInterval(heartbeatTimer);
        signal.removeEventListener('abort', onAbort);
        if (this.ws === ws) {
          this.ws = null;
          this.state = 'connecting';
          this.inflight = [];
          this.deferred = [];
        }
        resolve({ authenticated, refused, reason });
      });
    });
  }

  private heartbeat(ws: WebSocket): void {
    ws.send(HEARTBEAT_TEXT, (err) => {
      if (err) {
        this.logger.warn({ err }, 'heartbeat failed');
        void this.events.record({ type: 'FACILITATOR_CLIENT_ERROR', subtype: 'HEARTBEAT_ERROR', description: `heartbeat failed: ${err.message}` });
      }
    });
  }

  private onAuthenticated(ws: WebSocket): void {
    this.logger.log({ uri: this.options.uri }, 'connected to the facilitator');
    this.state = 'flushing';
    this.inflight = [];
    this.deferred = [];
    const hook = this.config.facilitator.DEBUG_CONNECT_FACILITATOR_WEBHOOK;
    if (hook) void fetch(hook).catch(() => undefined);
    void this.flush(ws);
    for (const cb of this.authenticatedOnce.splice(0)) cb();
  }

  /** Replays every unacknowledged update in order, then switches to direct sending. */
  private async flush(ws: WebSocket): Promise<void> {
    let rows: OutboxRow[] = [];
    try {
      rows = await this.dataSource.query(`SELECT id::text AS id, frame FROM facilitator_outbox WHERE acked_at IS NULL ORDER BY facilitator_outbox.id`);
    } catch (e) {
      this.logger.error({ err: e }, 'could not read the status outbox; reconnecting');
      ws.terminate();
      return;
    }
    if (this.ws !== ws) return;
    const seen = new Set(rows.map((r) => r.id));
    for (const r of rows) this.sendRow(ws, r);
    const later = this.deferred.filter((r) => typeof r.id === 'string' && !seen.has(r.id)).sort((a, b) => Number(BigInt(a.id as string) - BigInt(b.id as string)));
    this.deferred = [];
    for (const r of later) this.sendRow(ws, r);
    if (rows.length) this.logger.log({ count: rows.length }, 'replayed pending status updates');
    this.state = 'ready';
  }

  private sendRow(ws: WebSocket, row: OutboxRow): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    this.inflight.push(row);
    row.sentOn = ws;
    ws.send(row.frame);
    if (row.update) this.options.onStatusSent?.(row.update);
  }

  // ---- outbound status updates ----

  /**
   * Queues a status update and returns at once. Updates of one job are handled strictly in call order:
   * when connected the frame goes out immediately and its outbox row is written alongside; otherwise
   * the row is written first and sent after the next authentication.
   */
  sendStatus(update: JobStatusUpdate): Promise<void> {
    const frame = jobStatusUpdateText(update);
    const row: OutboxRow = { id: undefined, frame, update };
    // Sent at once, in call order, unless an earlier update of this job is still waiting for the outbox.
    const unsent = this.unsentPerJob.get(update.uuid) ?? 0;
    const sentNow = unsent === 0 && this.state === 'ready' && this.ws !== null && this.ws.readyState === WebSocket.OPEN;
    if (sentNow) this.sendRow(this.ws as WebSocket, row);
    else this.unsentPerJob.set(update.uuid, unsent + 1);
    const prev = this.jobChains.get(update.uuid) ?? Promise.resolve();
    const next = prev
      .then(() => this.persist(row, sentNow))
      .catch((e: unknown) => this.logger.error({ err: e, jobUuid: update.uuid }, 'status update failed'))
      .finally(() => {
        if (!sentNow) {
          const n = (this.unsentPerJob.get(update.uuid) ?? 1) - 1;
          if (n <= 0) this.unsentPerJob.delete(update.uuid);
          else this.unsentPerJob.set(update.uuid, n);
        }
      });
    this.jobChains.set(update.uuid, next);
    this.track(next);
    void next.then(() => {
      if (this.jobChains.get(update.uuid) === next) this.jobChains.delete(update.uuid);
    });
    return Promise.resolve();
  }

  /** Resolves when every queued update of `uuid` (or of all jobs) is on the socket or in the outbox. */
  async flushed(uuid?: string): Promise<void> {
    if (uuid) await this.jobChains.get(uuid);
    else await Promise.allSettled([...this.jobChains.values()]);
  }

  private async persist(row: OutboxRow, sentNow: boolean): Promise<void> {
    const update = row.update as JobStatusUpdate;
    try {
      row.id = await this.outboxWriter.add({ uuid: update.uuid, status: update.status, frame: row.frame });
    } catch (e) {
      row.id = null;
      this.logger.error({ err: e, jobUuid: update.uuid, status: update.status }, 'could not persist a status update');
    }
    if (row.id === null) {
      if (!sentNow && this.state === 'ready' && this.ws) this.sendRow(this.ws, row); // unpersisted: at least try now
      return;
    }
    if (sentNow && row.ack !== undefined) this.queueAck(row.id, row.ack);
    else if (sentNow && row.sentOn === this.ws) return; // its answer will mark it
    else if (this.state === 'ready' && this.ws) this.sendRow(this.ws, row);
    else if ((this.state as State) === 'flushing') this.deferred.push(row);
  }

  private track(p: Promise<unknown>): void {
    this.pendingWrites.add(p);
    void p.finally(() => this.pendingWrites.delete(p));
  }

  private async acknowledge(response: FacilitatorResponse): Promise<void> {
    const row = this.inflight.shift();
    const error = response.status === 'success' ? null : response.errors.map((e) => e.type).join(',') || 'error';
    if (error) this.logger.warn({ errors: response.errors }, 'facilitator answered with an error');
    if (row === undefined) return;
    if (error === 'auth.not_authenticated') return; // sent again after the next authentication
    if (row.id === undefined) row.ack = error; // its outbox row is still being written
    else if (row.id !== null) this.queueAck(row.id, error);
  }

  /** Acknowledgements are written in batches (one UPDATE per burst instead of one per update). */
  private queueAck(id: string, error: string | null): void {
    this.pendingAcks.push({ id, error });
    if (this.ackTimer) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      this.track(this.writeAcks());
    }, 20);
  }

  private async writeAcks(): Promise<void> {
    const batch = this.pendingAcks.splice(0);
    if (batch.length === 0) return;
    const ok = batch.filter((a) => a.error === null).map((a) => a.id);
    const failed = batch.filter((a) => a.error !== null);
    try {
      if (ok.length) await this.dataSource.query(`UPDATE facilitator_outbox SET acked_at = now() WHERE id = ANY($1::bigint[])`, [ok]);
      for (const f of failed) await this.dataSource.query(`UPDATE facilitator_outbox SET acked_at = now(), ack_error = $2 WHERE id = $1`, [f.id, f.error]);
    } catch (e) {
      this.logger.error({ err: e }, 'could not mark status updates as delivered');
    }
  }

  // ---- inbound frames ----

  private onFrame(text: string): void {
    const parsed = parseFacilitatorFrame(text);
    switch (parsed.kind) {
      case 'response':
        this.track(this.acknowledge(parsed.message));
        return;
      case 'job-request':
        this.startJob(parsed.message);
        return;
      case 'job-cheated':
        void this.cheats.handle(parsed.message).catch((e: unknown) => this.logger.error({ err: e, jobUuid: parsed.message.job_uuid }, 'cheat report failed'));
        return;
      case 'malformed':
        this.logger.warn({ reason: parsed.reason, jobUuid: parsed.jobUuid }, 'unsupported or malformed message from the facilitator');
        if (parsed.jobUuid !== null && !this.jobsInProgress.has(parsed.jobUuid)) {
          void this.sendStatus({
            uuid: parsed.jobUuid, status: 'rejected',
            metadata: { job_rejection_details: { rejected_by: 'validator', reason: 'unknown', message: `Malformed job request: ${parsed.reason}`.slice(0, 1000), context: null } },
          });
        }
        return;
    }
  }

  private startJob(req: V2JobRequest): void {
    if (this.jobsInProgress.has(req.uuid)) {
      this.logger.warn({ jobUuid: req.uuid }, 'job request for a job already in progress ignored');
      return;
    }
    this.jobsInProgress.add(req.uuid);
    const hooks = this.options.jobHooks?.(req.uuid) ?? {};
    void (async () => {
      await this.slot();
      try {
        await this.pipeline.handle(req, (u) => this.sendStatus(u), hooks);
      } catch (e) {
        this.logger.error({ err: e, jobUuid: req.uuid }, 'organic job task failed');
      } finally {
        this.activeJobs--;
        this.waitingJobs.shift()?.();
        this.jobsInProgress.delete(req.uuid);
      }
    })();
  }

  private async slot(): Promise<void> {
    if (this.activeJobs < this.options.maxConcurrentJobs) {
      this.activeJobs++;
      return;
    }
    await new Promise<void>((resolve) => this.waitingJobs.push(resolve));
    this.activeJobs++;
  }
}
