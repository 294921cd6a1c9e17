import type { Socket } from 'node:net';
import WebSocket from 'ws';
import type { MinerConnectionOptions } from './types';

/**
 * The WebSocket plumbing under MinerConnection: one opening handshake, the ping keepalive, the close
 * handshake, and a printable preview of a frame. No protocol here.
 */

type Clock = MinerConnectionOptions['clock'];
const RAW_PREVIEW_CHARS = 1000;

/**
 * One opening handshake to `url`: resolves null once the socket is open (after `onOpen` took it, in the
 * same event, so no frame can arrive unheard), else the error text. Aborting `lifetime` ends it.
 */
export function openWebSocket(
  url: string,
  o: { clock: Clock; maxPayloadBytes?: number; handshakeTimeoutMs?: number },
  lifetime: AbortSignal,
  onOpen: (ws: WebSocket, socket: Socket | null) => void,
): Promise<string | null> {
  return new Promise((resolve) => {
    let settled = false;
    let ws: WebSocket;
    let cancelTimer = (): void => undefined;
    const onClose = () => {
      if (settled) return;
      ws.terminate();
      finish('connection closed by the validator');
    };
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      cancelTimer();
      lifetime.removeEventListener('abort', onClose);
      resolve(error);
    };
    try {
      ws = new WebSocket(url, { maxPayload: o.maxPayloadBytes ?? 50 * 2 ** 20, perMessageDeflate: false, followRedirects: false });
    } catch (e) {
      finish(`invalid URL: ${(e as Error).message}`);
      return;
    }
    ws.on('error', (err) => finish(err.message || String(err)));
    ws.on('close', (code) => finish(`closed during handshake (code ${code})`));
    let upgradedSocket: Socket | null = null;
    ws.on('upgrade', (res) => {
      upgradedSocket = res.socket;
    });
    ws.on('unexpected-response', (_req, res) => {
      finish(`HTTP ${res.statusCode} instead of a WebSocket upgrade`);
      ws.terminate();
    });
    ws.on('open', () => {
      if (settled || lifetime.aborted) {
        ws.terminate();
        finish('connection closed by the validator');
        return;
      }
      ws.removeAllListeners();
      onOpen(ws, upgradedSocket);
      finish(null);
    });
    if (settled) return;
    // Plain timer and listener: one connection per organic job, and AbortSignal.any plus the
    // DOMException of every abort showed in the organic benchmark's profile.
    cancelTimer = o.clock.timer(o.handshakeTimeoutMs ?? 10_000, () => {
      if (settled) return;
      ws.terminate();
      finish(`opening handshake timed out after ${o.handshakeTimeoutMs ?? 10_000} ms`);
    });
    if (lifetime.aborted) onClose();
    else lifetime.addEventListener('abort', onClose, { once: true });
  });
}

/**
 * Pings every interval and drops a socket whose pongs stopped (`onDead` first, then terminate); returns
 * the function that stops it (the socket closed). Aborting `lifetime` stops it too.
 */
export function keepWebSocketAlive(
  ws: WebSocket,
  o: { clock: Clock; intervalMs: number; timeoutMs: number },
  lifetime: AbortSignal,
  lastPong: () => number,
  onDead: (timeoutMs: number) => void,
): () => void {
  let cancel = (): void => undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    cancel();
    lifetime.removeEventListener('abort', stop);
  };
  const tick = () => {
    if (stopped || ws.readyState !== WebSocket.OPEN) return stop();
    if (o.clock.now() - lastPong() > o.timeoutMs) {
      onDead(o.timeoutMs);
      ws.terminate();
      return stop();
    }
    try {
      ws.ping();
    } catch {
      return stop();
    }
    cancel = o.clock.timer(o.intervalMs, tick);
  };
  if (lifetime.aborted) return stop;
  lifetime.addEventListener('abort', stop, { once: true });
  cancel = o.clock.timer(o.intervalMs, tick);
  return stop;
}

export function rawPreview(data: WebSocket.RawData): string {
  try {
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    return buf.subarray(0, RAW_PREVIEW_CHARS * 4).toString('utf8').slice(0, RAW_PREVIEW_CHARS);
  } catch {
    return '<unreadable frame>';
  }
}

/** Normal close (1000) with the reference's 10 s close-handshake bound. */
export function closeSocket(ws: WebSocket, clock: Clock): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    const timer = new AbortController();
    ws.once('close', () => {
      timer.abort();
      resolve();
    });
    ws.on('error', () => undefined);
    try {
      ws.close(1000);
    } catch {
      ws.terminate();
    }
    clock.sleep(10_000, timer.signal).then(
      () => {
        ws.terminate();
        resolve();
      },
      () => undefined,
    );
  });
}
