import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'net';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { buildMessage, checkAuthAsMiner, parseValidatorMessage, V0MainHotkeyMessage } from '../../src/protocol';
import { alice, connectionTo } from './validator-side';

const MINER = '5FtFfam1u3qQ76pvHhNqMdgb1Tzk7iFYGC7ituYqaSqAkD5s';

describe('reconnect: a fresh authentication before anything else on every new socket (spec §2.4 [IMPROVE])', () => {
  it('the first socket dies right after auth; sends made while reconnecting go out on the second socket behind a new, valid auth', async () => {
    const connections: string[][] = [];
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws: WebSocket) => {
      const frames: string[] = [];
      connections.push(frames);
      ws.on('error', () => undefined);
      ws.on('message', (d) => {
        frames.push(d.toString());
        if (connections.length === 1 && frames.length === 1) ws.terminate();
        else if (frames.length >= 2) ws.send(JSON.stringify({ message_type: 'V0MainHotkeyMessage', main_hotkey: MINER }));
      });
    });
    await new Promise((r) => wss.once('listening', r));
    await cryptoWaitReady();
    let dropped!: () => void;
    const droppedSeen = new Promise<void>((r) => (dropped = r));
    const conn = connectionTo(
      { hotkey: MINER, host: '127.0.0.1', port: (wss.address() as AddressInfo).port },
      { maxRetries: 3, onFailure: (f) => /reconnecting/.test(f.reason) && dropped() },
    );
    expect((await conn.connect()).ok).toBe(true);
    await droppedSeen; // sends issued while the connection is being re-established
    const sends = await Promise.all([1, 2, 3].map(() => conn.send(buildMessage(V0MainHotkeyMessage, { main_hotkey: null }), { timeoutMs: 5000 })));
    expect(sends.every((s) => s.ok)).toBe(true);
    const answer = await conn.waitFor('V0MainHotkeyMessage', { timeoutMs: 5000 });
    expect(answer.ok && answer.message.main_hotkey).toBe(MINER);
    expect(connections.length).toBe(2);
    const second = connections[1].map((f) => parseValidatorMessage(f));
    const types = second.map((p) => (p.ok ? p.message.message_type : p.reason));
    expect(types).toEqual(['ValidatorAuthForMiner', 'V0MainHotkeyMessage', 'V0MainHotkeyMessage', 'V0MainHotkeyMessage']);
    const auth = second[0];
    if (!auth.ok || auth.message.message_type !== 'ValidatorAuthForMiner') throw new Error('no auth');
    expect(checkAuthAsMiner(auth.message, { minerHotkey: MINER, urlValidatorHotkey: alice().address, nowMs: Date.now() })).toBeNull();
    expect(conn.failures.some((f) => f.kind === 'closed' && /reconnecting/.test(f.reason))).toBe(true);
    await conn.close();
    await new Promise((r) => wss.close(r));
  });

  it('keepalive: a miner that stops answering pings is dropped after the pong timeout and reconnected (with a fresh auth)', async () => {
    let connections = 0;
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws: WebSocket & { _socket?: { pause(): void } }) => {
      connections++;
      ws.on('error', () => undefined);
      // the first miner connection goes deaf: no frames read, so no pongs either
      if (connections === 1) ws.once('message', () => ws._socket?.pause());
    });
    await new Promise((r) => wss.once('listening', r));
    await cryptoWaitReady();
    let reconnected!: () => void;
    const seen = new Promise<void>((r) => (reconnected = r));
    const conn = connectionTo(
      { hotkey: MINER, host: '127.0.0.1', port: (wss.address() as AddressInfo).port },
      { pingIntervalMs: 50, pingTimeoutMs: 300, onFailure: (f) => /no pong/.test(f.reason) && reconnected() },
    );
    expect((await conn.connect()).ok).toBe(true);
    await seen;
    const until = Date.now() + 5000;
    while (connections < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(connections).toBe(2);
    expect(conn.failures.find((f) => /no pong/.test(f.reason))?.reason).toBe('no pong from the miner within 300 ms; reconnecting');
    await conn.close();
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  });
});
