import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { startDaemonChild, type DaemonChild } from '../support/daemon-child';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { LIVE_FEED_LIMITS } from '../../src/status-page/live-events.gateway';

const MiB = 1024 * 1024;

/** Reads from `socket` until the HTTP response head is complete; returns its status line. */
async function responseHead(socket: Socket): Promise<string> {
  let head = '';
  while (!head.includes('\r\n\r\n')) {
    const [chunk] = (await Promise.race([once(socket, 'data'), once(socket, 'close').then(() => [Buffer.from('\r\n\r\n')])])) as [Buffer];
    head += chunk.toString('latin1');
  }
  return head.split('\r\n')[0];
}

/**
 * What the attacker of issue 15 did: upgrade to /ws/events, announce one 99 MiB binary frame and
 * stream it. Returns how much the daemon took before it closed the socket.
 */
async function bigFrame(port: number, announced: number, chunk: Buffer, localAddress: string): Promise<{ status: string; sent: number; closed: boolean }> {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  await once(socket, 'connect');
  socket.write(
    `GET /ws/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const status = await responseHead(socket);
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => (closed = true));
  const header = Buffer.alloc(14);
  header[0] = 0x82; // FIN, binary
  header[1] = 0x80 | 127; // masked, 64-bit length
  header.writeBigUInt64BE(BigInt(announced), 2); // mask key 0: the payload goes as is
  socket.write(header);
  let sent = 0;
  while (!closed && sent < announced) {
    const flushed = socket.write(chunk);
    sent += chunk.length;
    if (!flushed) await Promise.race([once(socket, 'drain'), once(socket, 'close')]).catch(() => undefined);
  }
  const gone = closed;
  socket.destroy();
  return { status, sent, closed: gone };
}

/** One ordinary client: 'open' or the HTTP status of the refused upgrade. */
function client(url: string, localAddress?: string): Promise<{ ws: WebSocket; outcome: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { localAddress });
    ws.once('open', () => resolve({ ws, outcome: 'open' }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws, outcome: String(res.statusCode) });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (e) => resolve({ ws, outcome: `error ${e.message}` }));
  });
}

/** Samples the daemon's RSS every 25 ms while `work` runs; returns the peak. */
async function peakRss(daemon: DaemonChild, work: () => Promise<void>): Promise<number> {
  let peak = daemon.rss();
  const timer = setInterval(() => (peak = Math.max(peak, daemon.rss())), 25);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, daemon.rss());
}

describe('/ws/events limits (issue 15: 20 clients with 99 MiB frames took the daemon from 645 MB to 2.3 GB)', () => {
  let db: ThrowawayDatabase;
  let daemon: DaemonChild;
  let port: number;
  let baseline: number;

  beforeAll(async () => {
    db = await createThrowawayDatabase();
    daemon = await startDaemonChild(db.url);
    port = Number(new URL(daemon.url).port);
    // warm up what a normal run touches (page, feed) before measuring
    for (let i = 0; i < 3; i++) await (await fetch(`${daemon.url}/`)).text();
    const warm = await client(`ws://127.0.0.1:${port}/ws/events`, '127.0.0.3');
    warm.ws.close();
    await new Promise((r) => setTimeout(r, 1000));
    baseline = daemon.rss();
  }, 240_000);
  afterAll(async () => {
    await daemon?.stop();
    await db?.drop();
  });

  it('refuses a large frame from its header: rounds of 20 clients announcing 99 MiB each leave memory where it was', async () => {
    const chunk = Buffer.alloc(MiB);
    const rounds: { peak: number; after: number; maxSent: number }[] = [];
    for (let round = 0; round < 3; round++) {
      let results: { status: string; sent: number; closed: boolean }[] = [];
      const peak = await peakRss(daemon, async () => {
        results = await Promise.all(Array.from({ length: 20 }, (_, i) => bigFrame(port, 99 * MiB, chunk, `127.0.${round + 1}.${i + 1}`)));
      });
      await new Promise((r) => setTimeout(r, 1000));
      rounds.push({ peak, after: daemon.rss(), maxSent: Math.max(...results.map((r) => r.sent)) });
      for (const r of results) {
        expect(r.status).toBe('HTTP/1.1 101 Switching Protocols');
        expect(r.closed).toBe(true);
        // what the kernel's socket buffers hold before the close arrives, far from the announced 99 MiB
        expect(r.sent).toBeLessThan(16 * MiB);
      }
    }
    const mib = (n: number) => `${(n / MiB).toFixed(0)} MiB`;
    process.stdout.write(`big frames: baseline ${mib(baseline)}; per round peak/after: ${rounds.map((r) => `${mib(r.peak)}/${mib(r.after)}`).join(', ')}; ` +
      `most taken from one client before the close: ${(Math.max(...rounds.map((r) => r.maxSent)) / MiB).toFixed(1)} MiB\n`);
    // Bounded: the old limit buffered each frame whole (about 2 GB for 20 clients, never given back).
    for (const r of rounds) expect(r.peak - baseline).toBeLessThan(64 * MiB);
    // Nothing accumulates: later rounds end where the first one did.
    expect(rounds[2].after - rounds[0].after).toBeLessThan(16 * MiB);
  });

  it('caps connections per address and in total, and memory is back where it was when they leave', async () => {
    const url = `ws://127.0.0.1:${port}/ws/events`;
    const before = daemon.rss();
    let outcomes: { ws: WebSocket; outcome: string }[] = [];
    const peak = await peakRss(daemon, async () => {
      // 300 at once from one address, then 60 more from other addresses
      outcomes = await Promise.all(Array.from({ length: 300 }, () => client(url)));
      for (let a = 10; a < 16; a++) outcomes.push(...(await Promise.all(Array.from({ length: 20 }, () => client(url, `127.0.0.${a}`)))));
    });
    const count = (o: string) => outcomes.filter((x) => x.outcome === o).length;
    // beyond HTTP_LIMITS.maxConnections sockets at once the server drops new ones before any request
    const dropped = count('error socket hang up');
    process.stdout.write(`connections: ${count('open')} open, ${count('429')} refused 429, ${count('503')} refused 503, ${dropped} dropped at the socket cap, peak RSS +${((peak - before) / MiB).toFixed(1)} MiB\n`);
    expect(count('open')).toBe(Math.min(LIVE_FEED_LIMITS.maxClients, 7 * LIVE_FEED_LIMITS.maxClientsPerAddress));
    expect(count('open') + count('429') + count('503') + dropped).toBe(outcomes.length);
    expect(peak - before).toBeLessThan(32 * MiB);
    await Promise.all(outcomes.filter((o) => o.outcome === 'open').map((o) => new Promise<void>((r) => {
      o.ws.once('close', () => r());
      o.ws.close();
    })));
    await new Promise((r) => setTimeout(r, 1000));
    const after = daemon.rss();
    process.stdout.write(`after they left: ${((after - before) / MiB).toFixed(1)} MiB over the RSS before they came\n`);
    expect(after - before).toBeLessThan(16 * MiB);
    // room again for a client that behaves (from an address that has not used its rate yet)
    const again = await client(url, '127.0.0.20');
    expect(again.outcome).toBe('open');
    again.ws.close();
  });
});
