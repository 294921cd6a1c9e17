import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'net';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { MinerConnection, type MinerConnectionFailure } from '../../src/miners/connection';
import { WebSocket as WsClient } from 'ws';
import { createAuthMessage, parseMinerMessage, parseValidatorMessage, serializeMessage } from '../../src/protocol';
import { startSimulatedHorde } from '../../src/devnet/miners';
import { fuzzFrames, type FuzzFrame } from '../../src/protocol/testing/fuzz-frames';
import { StaticValidatorHotkey } from '../../src/chain/validator-hotkey';
import { SystemClock } from '../../src/config/clock';
import { alice } from '../miners-connection/validator-side';

const SEED = 20261125;
const COUNT = 10_000;
const LIMIT = 64 * 1024;

describe(`seeded fuzz (seed ${SEED}, ${COUNT} frames)`, () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeAll(async () => {
    await cryptoWaitReady();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('protocol parsers: every frame is a failure with a reason, never an exception', () => {
    let n = 0;
    for (const f of fuzzFrames({ seed: SEED, count: COUNT, oversizedBytes: LIMIT + 1 })) {
      for (const parse of [parseMinerMessage, parseValidatorMessage]) {
        const r = parse(f.data, { isBinary: f.binary });
        if (r.ok && f.kind !== 'oversized') throw new Error(`frame ${f.index} (${f.description}) parsed: ${String(f.data).slice(0, 200)}`);
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
      }
      n++;
    }
    expect(n).toBe(COUNT);
  });

  it('miner connection over a real socket: every frame ends as a recorded failure; no crash, no unhandled rejection', async () => {
    const frames = [...fuzzFrames({ seed: SEED + 1, count: COUNT, oversizedBytes: LIMIT + 1 })];
    let next = 0;
    const replies: string[] = [];
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    // a "miner" that, after the auth message of each connection, streams the remaining frames
    wss.on('connection', (ws: WebSocket) => {
      ws.on('error', () => undefined);
      ws.once('message', () => {
        const pump = () => {
          while (next < frames.length && ws.readyState === ws.OPEN) {
            const f: FuzzFrame = frames[next++];
            ws.send(f.data, { binary: f.binary });
            if (f.kind === 'oversized') return; // the client drops the connection and comes back
            if (next % 500 === 0) return void setImmediate(pump);
          }
        };
        pump();
        ws.on('message', (d) => replies.push(d.toString()));
      });
    });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as AddressInfo).port;

    const failures: MinerConnectionFailure[] = [];
    const conn = new MinerConnection({
      minerHotkey: '5FtFfam1u3qQ76pvHhNqMdgb1Tzk7iFYGC7ituYqaSqAkD5s', address: '127.0.0.1', port,
      validatorHotkey: new StaticValidatorHotkey(alice()), clock: new SystemClock(),
      maxPayloadBytes: LIMIT, retryBaseDelayMs: 1, retryJitterMs: 1,
      onFailure: (f) => failures.push(f),
    });
    expect((await conn.connect()).ok).toBe(true);

    const oversized = frames.filter((f) => f.kind === 'oversized').length;
    const expectedUnparseable = COUNT - oversized;
    const deadline = Date.now() + 45_000;
    while (failures.filter((f) => f.kind === 'unparseable').length < expectedUnparseable && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const unparseable = failures.filter((f) => f.kind === 'unparseable');
    expect(unparseable).toHaveLength(expectedUnparseable);
    for (const f of unparseable) expect(f.reason.length).toBeGreaterThan(0);
    const tooBig = failures.filter((f) => f.kind === 'closed' && /max payload/i.test(f.reason));
    expect(oversized).toBeGreaterThan(10);
    expect(tooBig).toHaveLength(oversized);
    // the reference answers every malformed frame with a GenericError
    expect(replies.filter((r) => r.startsWith('{"message_type":"GenericError","details":"Malformed message ')).length).toBeGreaterThan(0);
    // nothing parsed as a message and the connection is still usable
    const w = await conn.waitFor(['V0AcceptJobRequest', 'V0JobFinishedRequest', 'GenericError'], { timeoutMs: 50 });
    expect(!w.ok && w.failure.kind).toBe('timeout');
    expect(conn.state).toBe('open');
    await conn.close();
    await new Promise((r) => wss.close(r));
    expect(unhandled).toEqual([]);
  });

  it('simulated miner: 2,000 malformed validator frames each get the reference "Malformed message" GenericError; it keeps serving', async () => {
    const U = '7b1a3e02-33a2-4a49-b4e2-4a7b903847e7';
    const started = { job_uuid: U, miner_hotkey: 'm', validator_hotkey: 'v', timestamp: '2025-01-01T12:00:00Z', receipt_type: 'JobStartedReceipt', executor_class: 'always_on.test', is_organic: true, ttl: 7 };
    const seedFrames = [
      { message_type: 'V0InitialJobRequest', job_uuid: U, executor_class: 'always_on.test', job_started_receipt_payload: started, job_started_receipt_signature: '0x00' },
      { message_type: 'V0JobRequest', job_uuid: U, executor_class: 'always_on.test', docker_image: 'i', docker_run_options_preset: 'none', docker_run_cmd: [] },
      { message_type: 'V0JobAcceptedReceiptRequest', payload: { ...started, receipt_type: 'JobAcceptedReceipt', time_accepted: '2025-01-01T12:00:00Z', ttl: 300 }, signature: '0x00' },
      { message_type: 'V0MainHotkeyMessage', main_hotkey: null },
    ].map((m) => JSON.stringify(m));
    const requiredFields = {
      V0InitialJobRequest: ['job_uuid', 'executor_class', 'job_started_receipt_payload', 'job_started_receipt_signature'],
      V0JobRequest: ['job_uuid', 'docker_image', 'docker_run_cmd'],
      V0JobAcceptedReceiptRequest: ['payload', 'signature'],
      V0MainHotkeyMessage: [],
    };
    const frames = [...fuzzFrames({ seed: SEED + 2, count: 2000, seedFrames, requiredFields, oversizedShare: 0 })];
    const horde = await startSimulatedHorde({ miners: [{ executors: 1, executorClass: 'always_on.test' }] });
    const m = horde.miners[0];
    const ws = new WsClient(`ws://${m.host}:${m.port}/v0.1/validator_interface/${alice().address}`);
    const received: string[] = [];
    ws.on('message', (d) => received.push(d.toString()));
    await new Promise((r) => ws.once('open', r));
    ws.send(serializeMessage(createAuthMessage(alice(), m.hotkey, Date.now())));
    for (const f of frames) ws.send(f.data, { binary: f.binary });
    ws.send(JSON.stringify({ message_type: 'V0MainHotkeyMessage', main_hotkey: null }));
    const deadline = Date.now() + 30_000;
    while (!received.some((r) => r.includes(`"main_hotkey":"${m.hotkey}"`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const malformed = received.filter((r) => r.startsWith('{"message_type":"GenericError","details":"Malformed message: '));
    expect(malformed).toHaveLength(frames.length);
    expect(received[0]).toMatch(/V0ExecutorManifestRequest/);
    expect(received.some((r) => r.includes(`"main_hotkey":"${m.hotkey}"`))).toBe(true);
    ws.terminate();
    await horde.stop();
    expect(unhandled).toEqual([]);
  });
});
