import { Logger } from '@nestjs/common';
import { WebSocket } from 'ws';
import { Batcher } from '../../receipts/batcher';
import { FacilitatorResponse, JobStatusUpdate, jobStatusUpdateText } from '../../protocol/facilitator';
import type { JobJournalRepository } from '../persistence/job-journal.repository';

interface OutboxEntry {
  /** undefined while the row is being written; null when it could not be (or was already) written. */
  id: string | undefined | null;
  frame: string;
  update?: JobStatusUpdate;
  /** An answer that arrived before the row's id was known. */
  answer?: string | null;
  sentOn?: WebSocket;
}

type Delivery = 'offline' | 'replaying' | 'live';

/**
 * Status updates to the facilitator (organic-jobs.md §2.5.3-2.5.4), exactly once each and in order per
 * job, through a persistent outbox: while live, a frame goes on the socket at once and its row is
 * written alongside; otherwise the row is written first and sent after the next authentication, when
 * every unanswered row is replayed in queue order. A row is done when the facilitator answers it
 * (answers come in send order; heartbeats get none).
 */
export class StatusOutbox {
  private readonly logger = new Logger('StatusOutbox');
  private delivery: Delivery = 'offline';
  private ws: WebSocket | null = null;
  /** Sent on the current socket, waiting for their answers (FIFO). */
  private inflight: OutboxEntry[] = [];
  /** Written while the replay was being read: sent right after it. */
  private deferred: OutboxEntry[] = [];
  private readonly jobChains = new Map<string, Promise<void>>();
  private readonly unsentPerJob = new Map<string, number>();
  /** Writes still running (awaited on close so none outlives the database). */
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private pendingAnswers: { id: string; error: string | null }[] = [];
  private answerTimer: NodeJS.Timeout | undefined;
  private readonly writer: Batcher<{ uuid: string; status: string; frame: string }, string | null>;

  constructor(
    private readonly journal: JobJournalRepository,
    private readonly onSent?: (update: JobStatusUpdate) => void,
  ) {
    // Rows are inserted in bursts; each caller gets its row id (null if that status was already queued).
    this.writer = new Batcher((items) => this.journal.queue(items));
  }

  get live(): boolean {
    return this.delivery === 'live';
  }

  /** Updates on the socket that the facilitator has not answered yet. */
  get awaitingAnswers(): number {
    return this.inflight.length;
  }

  /** The socket is authenticated: replay what is unanswered, then send directly. */
  online(ws: WebSocket): void {
    this.ws = ws;
    this.delivery = 'replaying';
    this.inflight = [];
    this.deferred = [];
    void this.replay(ws);
  }

  offline(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.delivery = 'offline';
    this.inflight = [];
    this.deferred = [];
  }

  /**
   * Queues an update and returns at once. Updates of one job are handled strictly in call order:
   * when live the frame goes out immediately and its row is written alongside; otherwise the row is
   * written first and sent after the next authentication.
   */
  enqueue(update: JobStatusUpdate): void {
    const entry: OutboxEntry = { id: undefined, frame: jobStatusUpdateText(update), update };
    // Sent at once, in call order, unless an earlier update of this job is still waiting for the outbox.
    const unsent = this.unsentPerJob.get(update.uuid) ?? 0;
    const sentNow = unsent === 0 && this.delivery === 'live' && this.ws !== null && this.ws.readyState === WebSocket.OPEN;
    if (sentNow) this.send(this.ws as WebSocket, entry);
    else this.unsentPerJob.set(update.uuid, unsent + 1);
    const prev = this.jobChains.get(update.uuid) ?? Promise.resolve();
    const next = prev
      .then(() => this.persist(entry, sentNow))
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
  }

  /** Resolves when every queued update of `uuid` (or of all jobs) is on the socket or in the outbox. */
  async flushed(uuid?: string): Promise<void> {
    if (uuid) await this.jobChains.get(uuid);
    else await Promise.allSettled([...this.jobChains.values()]);
  }

  /** The facilitator's answer to the oldest unanswered frame on this socket. */
  answer(response: FacilitatorResponse): void {
    const entry = this.inflight.shift();
    const error = response.status === 'success' ? null : response.errors.map((e) => e.type).join(',') || 'error';
    if (error) this.logger.warn({ errors: response.errors }, 'facilitator answered with an error');
    if (entry === undefined) return;
    if (error === 'auth.not_authenticated') return; // sent again after the next authentication
    if (entry.id === undefined) entry.answer = error; // its row is still being written
    else if (entry.id !== null) this.queueAnswer(entry.id, error);
  }

  /**
   * Every queued update written, then (while live) answered, or `timeoutMs` passed. What stays
   * unanswered is replayed after the next authentication, in this process or the next.
   */
  async settle(timeoutMs: number): Promise<{ unanswered: number }> {
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flushed(), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    while (this.live && this.inflight.length > 0 && Date.now() < deadline) await sleep(20);
    return { unanswered: this.inflight.length };
  }

  /** Waits for the writes in progress and stores the answers received so far. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pendingWrites]);
    if (this.answerTimer) clearTimeout(this.answerTimer);
    this.answerTimer = undefined;
    await this.writeAnswers();
  }

  private send(ws: WebSocket, entry: OutboxEntry): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    this.inflight.push(entry);
    entry.sentOn = ws;
    ws.send(entry.frame);
    if (entry.update) this.onSent?.(entry.update);
  }

  private async replay(ws: WebSocket): Promise<void> {
    let rows: OutboxEntry[] = [];
    try {
      rows = await this.journal.unanswered();
    } catch (e) {
      this.logger.error({ err: e }, 'could not read the status outbox; reconnecting');
      ws.terminate();
      return;
    }
    if (this.ws !== ws) return;
    const seen = new Set(rows.map((r) => r.id));
    for (const r of rows) this.send(ws, r);
    const later = this.deferred.filter((r) => typeof r.id === 'string' && !seen.has(r.id)).sort((a, b) => Number(BigInt(a.id as string) - BigInt(b.id as string)));
    this.deferred = [];
    for (const r of later) this.send(ws, r);
    if (rows.length) this.logger.log({ count: rows.length }, 'replayed pending status updates');
    this.delivery = 'live';
  }

  private async persist(entry: OutboxEntry, sentNow: boolean): Promise<void> {
    const update = entry.update as JobStatusUpdate;
    try {
      entry.id = await this.writer.add({ uuid: update.uuid, status: update.status, frame: entry.frame });
    } catch (e) {
      entry.id = null;
      this.logger.error({ err: e, jobUuid: update.uuid, status: update.status }, 'could not persist a status update');
    }
    if (entry.id === null) {
      if (!sentNow && this.live && this.ws) this.send(this.ws, entry); // unpersisted: at least try now
      return;
    }
    if (sentNow && entry.answer !== undefined) this.queueAnswer(entry.id, entry.answer);
    else if (sentNow && entry.sentOn === this.ws) return; // its answer will mark it
    else if (this.live && this.ws) this.send(this.ws, entry);
    else if (this.delivery === 'replaying') this.deferred.push(entry);
  }

  private track(p: Promise<unknown>): void {
    this.pendingWrites.add(p);
    void p.finally(() => this.pendingWrites.delete(p));
  }

  /** Answers are written in batches (one UPDATE per burst instead of one per update). */
  private queueAnswer(id: string, error: string | null): void {
    this.pendingAnswers.push({ id, error });
    if (this.answerTimer) return;
    this.answerTimer = setTimeout(() => {
      this.answerTimer = undefined;
      this.track(this.writeAnswers());
    }, 20);
  }

  private async writeAnswers(): Promise<void> {
    const batch = this.pendingAnswers.splice(0);
    if (batch.length === 0) return;
    try {
      await this.journal.markAnswered(batch);
    } catch (e) {
      this.logger.error({ err: e }, 'could not mark status updates as delivered');
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
