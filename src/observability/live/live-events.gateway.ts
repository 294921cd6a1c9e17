import type { IncomingMessage } from 'node:http';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Subscription } from 'rxjs';
import type { WebSocket, WebSocketServer } from 'ws';
import { LiveFeedService, type LiveEvent } from './live-feed.service';
import { StatusAccess } from '../status/status-access';

/**
 * Limits of `/ws/events`, sized to what it accepts: clients only listen, so a frame from a client is
 * tiny or a mistake. `ws` would otherwise buffer up to 100 MiB per frame (20 clients took a daemon
 * from 645 MB to 2.3 GB that it never gave back).
 */
export const LIVE_FEED_LIMITS = {
  /** Largest frame a client may send; anything bigger is cut off from its header (connection dropped). */
  maxPayloadBytes: 1024,
  maxClients: 64,
  maxClientsPerAddress: 16,
  /** New connections per address per minute. */
  connectsPerAddressPerMinute: 60,
  /** A client that has this much unsent data is too slow and is dropped. */
  maxBufferedBytes: 1024 * 1024,
  /** Ping interval; a client that has not answered the previous ping is dropped. */
  pingIntervalMs: 30_000,
  /** Anonymous clients get at most one "something changed" notice per this many ms. */
  anonymousNoticeMs: 1_000,
} as const;

interface Client {
  address: string;
  details: boolean;
  subscription?: Subscription;
  alive: boolean;
  lastNotice: number;
  noticeTimer?: NodeJS.Timeout;
}

type VerifyCallback = (ok: boolean, code?: number, message?: string) => void;

/**
 * `/ws/events`: a read-only stream, one JSON object per frame. Clients with the status-page token
 * (cookie or Bearer) get every system event and job status change; others only learn that
 * something changed (the page then refreshes its aggregates). Anything a client sends closes it.
 */
@WebSocketGateway({ path: '/ws/events', maxPayload: LIVE_FEED_LIMITS.maxPayloadBytes, perMessageDeflate: false })
export class LiveEventsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly logger = new Logger(LiveEventsGateway.name);
  private readonly clients = new Map<WebSocket, Client>();
  private readonly perAddress = new Map<string, number>();
  private readonly connectTimes = new Map<string, number[]>();
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly feed: LiveFeedService,
    private readonly access: StatusAccess,
  ) {}

  afterInit(server: WebSocketServer): void {
    // The decorator's options are static; admission needs this instance's counters, and `ws` reads
    // `verifyClient` from its options at every upgrade.
    (server.options as { verifyClient?: unknown }).verifyClient = (info: { req: IncomingMessage }, cb: VerifyCallback) => this.admit(info.req, cb);
    this.pinger = setInterval(() => this.pingAll(), LIVE_FEED_LIMITS.pingIntervalMs);
    this.pinger.unref();
  }

  onApplicationShutdown(): void {
    if (this.pinger) clearInterval(this.pinger);
  }

  /** Counts of connected clients (tests, the status page). */
  get connectedClients(): number {
    return this.clients.size;
  }

  private admit(req: IncomingMessage, cb: VerifyCallback): void {
    const address = req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const recent = (this.connectTimes.get(address) ?? []).filter((t) => now - t < 60_000);
    recent.push(now);
    this.connectTimes.set(address, recent);
    if (this.connectTimes.size > 10_000) this.connectTimes.clear();
    if (recent.length > LIVE_FEED_LIMITS.connectsPerAddressPerMinute) return cb(false, 429, 'Too Many Requests');
    if (this.clients.size >= LIVE_FEED_LIMITS.maxClients) return cb(false, 503, 'Service Unavailable');
    if ((this.perAddress.get(address) ?? 0) >= LIVE_FEED_LIMITS.maxClientsPerAddress) return cb(false, 429, 'Too Many Requests');
    cb(true);
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    const address = req?.socket?.remoteAddress ?? 'unknown';
    const client: Client = { address, details: req ? this.access.authorized(req) : false, alive: true, lastNotice: 0 };
    this.clients.set(ws, client);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', () => ws.close(1008, 'this feed is read-only'));
    // A frame over maxPayload (or any protocol error): `ws` would answer with a close frame and keep
    // reading (and discarding) the rest while the handshake runs; cut the connection at once instead.
    ws.on('error', () => ws.terminate());
    client.subscription = this.feed.events$.subscribe((event) => this.deliver(ws, client, event));
    this.send(ws, { kind: 'hello', timestamp: new Date().toISOString(), details: client.details });
  }

  handleDisconnect(ws: WebSocket): void {
    const client = this.clients.get(ws);
    if (!client) return;
    client.subscription?.unsubscribe();
    if (client.noticeTimer) clearTimeout(client.noticeTimer);
    this.clients.delete(ws);
    const n = (this.perAddress.get(client.address) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(client.address);
    else this.perAddress.set(client.address, n);
  }

  private deliver(ws: WebSocket, client: Client, event: LiveEvent): void {
    if (client.details) {
      this.send(ws, event);
      return;
    }
    if (client.noticeTimer) return;
    const wait = Math.max(0, client.lastNotice + LIVE_FEED_LIMITS.anonymousNoticeMs - Date.now());
    client.noticeTimer = setTimeout(() => {
      client.noticeTimer = undefined;
      client.lastNotice = Date.now();
      this.send(ws, { kind: 'changed', timestamp: new Date().toISOString() });
    }, wait);
  }

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState !== ws.OPEN) return;
    // A client that cannot keep up is dropped rather than buffering without bound.
    if (ws.bufferedAmount > LIVE_FEED_LIMITS.maxBufferedBytes) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  }

  private pingAll(): void {
    for (const [ws, client] of this.clients) {
      if (!client.alive) {
        this.logger.debug({ address: client.address }, 'live feed client did not answer a ping; dropped');
        ws.terminate();
        continue;
      }
      client.alive = false;
      ws.ping();
    }
  }
}
