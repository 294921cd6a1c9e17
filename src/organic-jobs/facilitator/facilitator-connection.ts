import { Logger } from '@nestjs/common';
import type { KeyringPair } from '@polkadot/keyring/types';
import { WebSocket } from 'ws';
import type { Clock } from '../../config/clock';
import { authenticationRequestText, HEARTBEAT_TEXT, parseFacilitatorFrame } from '../../protocol/facilitator';

export interface ConnectionSettings {
  uri: string;
  heartbeatMs: number;
  /** Reconnect backoff: initial, maximum, and after the facilitator refused our authentication. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  authRefusedBackoffMs: number;
  authTimeoutMs: number;
  pingIntervalMs: number;
  maxPayloadBytes: number;
}

/** What the connection tells its owner. None of these may throw. */
export interface ConnectionHandlers {
  /** The hotkey was accepted: the socket may carry status updates now. */
  authenticated(ws: WebSocket): void;
  /** A text frame after authentication. */
  frame(text: string): void;
  closed(ws: WebSocket): void;
  heartbeatFailed(message: string): void;
}

interface AttemptResult {
  authenticated: boolean;
  refused: boolean;
  reason: string;
}

/**
 * The socket to the facilitator (organic-jobs.md §2.1-2.4): authenticates with the hotkey, pings,
 * heartbeats every `heartbeatMs`, and reconnects with jittered backoff until `signal` aborts.
 */
export class FacilitatorConnection {
  private readonly logger = new Logger('FacilitatorConnection');
  private ws: WebSocket | null = null;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly clock: Clock,
    private readonly handlers: ConnectionHandlers,
    /** Sent as X-Validator-Runner-Version / X-Validator-Version (optional headers, §2.1). */
    private readonly versions: { runner: string; validator: string },
  ) {}

  /** Closes the current socket at once (the loop reconnects unless stopped). */
  terminate(): void {
    this.ws?.terminate();
  }

  /** Connects and reconnects until `signal` aborts. `pair()` throws the wallet's clear error when no hotkey is loaded. */
  async run(pair: () => KeyringPair, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let result: AttemptResult;
      try {
        result = await this.attempt(pair(), signal);
      } catch (e) {
        result = { authenticated: false, refused: false, reason: e instanceof Error ? e.message : String(e) };
      }
      if (signal.aborted) break;
      failures = result.authenticated ? 1 : failures + 1;
      const base = result.refused
        ? this.settings.authRefusedBackoffMs
        : Math.min(this.settings.backoffMaxMs, this.settings.backoffInitialMs * 2 ** Math.max(0, failures - 1));
      const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
      const log = result.refused ? this.logger.error.bind(this.logger) : this.logger.warn.bind(this.logger);
      log({ uri: this.settings.uri, reason: result.reason, retryInMs: delay }, 'facilitator connection ended; reconnecting');
      try {
        await this.clock.sleep(delay, signal);
      } catch {
        break;
      }
    }
  }

  private attempt(pair: KeyringPair, signal: AbortSignal): Promise<AttemptResult> {
    return new Promise((resolve) => {
      let authenticated = false;
      let refused = false;
      let reason = 'closed';
      let pingTimer: NodeJS.Timeout | undefined;
      let heartbeatTimer: NodeJS.Timeout | undefined;
      let authTimer: NodeJS.Timeout | undefined;
      const ws = new WebSocket(this.settings.uri, {
        headers: { 'X-Validator-Runner-Version': this.versions.runner || 'unknown', 'X-Validator-Version': this.versions.validator || 'unknown' },
        maxPayload: this.settings.maxPayloadBytes,
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
        }, this.settings.authTimeoutMs);
        pingTimer = setInterval(() => {
          if (!alive) {
            reason = 'no pong from the facilitator';
            ws.terminate();
            return;
          }
          alive = false;
          ws.ping();
        }, this.settings.pingIntervalMs);
      });
      ws.on('pong', () => (alive = true));
      ws.on('message', (data, isBinary) => {
        alive = true;
        if (isBinary) {
          this.logger.warn({ bytes: (data as Buffer).length }, 'binary frame from the facilitator ignored');
          return;
        }
        const text = data.toString();
        if (authenticated) return this.handlers.frame(text);
        clearTimeout(authTimer);
        const parsed = parseFacilitatorFrame(text);
        if (parsed.kind === 'response' && parsed.message.status === 'success') {
          authenticated = true;
          this.logger.log({ uri: this.settings.uri }, 'connected to the facilitator');
          this.handlers.authenticated(ws);
          heartbeatTimer = setInterval(() => this.heartbeat(ws), this.settings.heartbeatMs);
          return;
        }
        refused = parsed.kind === 'response';
        reason = parsed.kind === 'response'
          ? `authentication refused: ${parsed.message.errors.map((e) => `${e.type}: ${e.msg}`).join('; ')}`
          : `unexpected answer to authentication: ${parsed.kind === 'malformed' ? parsed.reason : parsed.kind}`;
        ws.close();
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
        if (this.ws === ws) this.ws = null;
        this.handlers.closed(ws);
        resolve({ authenticated, refused, reason });
      });
    });
  }

  private heartbeat(ws: WebSocket): void {
    ws.send(HEARTBEAT_TEXT, (err) => {
      if (!err) return;
      this.logger.warn({ err }, 'heartbeat failed');
      this.handlers.heartbeatFailed(err.message);
    });
  }
}
