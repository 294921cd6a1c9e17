import { randomUUID } from 'crypto';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { echoHashAnswer, startSimulatedHorde, type SimulatedHorde } from '../../src/devnet/miners';
import { parseReceiptLine, receiptPage, StreamingDetails, verifyReceipt, verifyReceiptMinerSignature, verifyStreamingReady } from '../../src/protocol';
import { acceptedReceipt, alice, connectionTo, finishedReceipt, initialRequest, inlineVolume, jobRequest } from './validator-side';

describe('miner connection <-> simulated miner: one full job', () => {
  let horde: SimulatedHorde;
  beforeAll(async () => {
    await cryptoWaitReady();
    horde = await startSimulatedHorde({ miners: [{ executors: 1, executorClass: 'always_on.test' }] });
  });
  afterAll(() => horde.stop());

  it('runs auth, manifest, initial request, accept, executor ready, job request, finished and both receipts, with signatures verified on both sides', async () => {
    const m = horde.miners[0];
    const pair = alice();
    const conn = connectionTo(m);
    const jobUuid = randomUUID();
    const started = Date.now();
    expect(await conn.connect()).toEqual({ ok: true });

    const manifest = await conn.waitFor('V0ExecutorManifestRequest', { timeoutMs: 5000 });
    expect(manifest.ok && manifest.message.manifest).toEqual({ 'always_on.test': 1 });

    const files = { 'a.txt': 'hello', 'dir/b.bin': 'world\n' };
    const initial = initialRequest(pair, m.hotkey, jobUuid, 'always_on.test');
    expect(await conn.send(initial.message)).toEqual({ ok: true });
    const accept = await conn.waitFor(['V0AcceptJobRequest', 'V0DeclineJobRequest'], { timeoutMs: 5000, jobUuid });
    expect(accept.ok && accept.message.message_type).toBe('V0AcceptJobRequest');

    const accepted = acceptedReceipt(pair, m.hotkey, jobUuid);
    expect(await conn.send(accepted.message)).toEqual({ ok: true });
    const ready = await conn.waitFor('V0ExecutorReadyRequest', { timeoutMs: 5000, jobUuid });
    expect(ready.ok).toBe(true);

    expect(await conn.send(jobRequest(jobUuid, 'always_on.test', ['--x', '1'], inlineVolume(files)))).toEqual({ ok: true });
    for (const stage of ['V0VolumesReadyRequest', 'V0ExecutionDoneRequest'] as const) {
      expect((await conn.waitFor(stage, { timeoutMs: 5000, jobUuid })).ok).toBe(true);
    }
    const finished = await conn.waitFor(['V0JobFinishedRequest', 'V0JobFailedRequest', 'V0HordeFailedRequest'], { timeoutMs: 5000, jobUuid });
    if (!finished.ok || finished.message.message_type !== 'V0JobFinishedRequest') throw new Error(`job did not finish: ${JSON.stringify(finished)}`);
    const expected = echoHashAnswer(['--x', '1'], new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)])));
    expect(finished.message.docker_process_stdout).toBe(expected);
    expect(Buffer.from(finished.message.artifacts?.['/artifacts/hashes.txt'] ?? '', 'base64').toString()).toBe(expected);

    const fin = finishedReceipt(pair, m.hotkey, jobUuid, started);
    expect(await conn.send(fin.message)).toEqual({ ok: true });
    await conn.close();
    expect(conn.failures.filter((f) => f.kind !== 'closed')).toEqual([]);

    // miner side: it verified our three signatures and countersigned the very blobs we signed
    await waitUntil(() => m.miner.receipts.filter((r) => r.payload.job_uuid === jobUuid).length === 3).catch((e) => { console.log(m.miner.events); throw e; });
    const mine = m.miner.receipts.filter((r) => r.payload.job_uuid === jobUuid);
    expect(mine.map((r) => r.payload.receipt_type)).toEqual(['JobStartedReceipt', 'JobAcceptedReceipt', 'JobFinishedReceipt']);
    expect(mine.map((r) => r.validator_signature)).toEqual([initial.signed.signature, accepted.signed.signature, fin.signed.signature]);

    // validator side: fetch the miner's receipt page over HTTP and verify both signatures of every line
    const page = receiptPage(Math.floor(Date.now() / 1000));
    const lines: string[] = [];
    for (const p of [page - 1, page]) {
      const res = await fetch(`http://${m.host}:${m.port}/receipts/${p}.jsonl`);
      if (res.status === 200) lines.push(...(await res.text()).split('\n').filter(Boolean));
    }
    const ours = lines.map((l) => parseReceiptLine(l)).filter((r) => r.ok && r.value.payload.job_uuid === jobUuid);
    expect(ours).toHaveLength(3);
    for (const r of ours) {
      if (!r.ok) throw new Error(r.reason);
      expect(verifyReceipt(r.value)).toEqual({ validator: true, miner: true });
    }
    // and the miner signature is over exactly the string the validator signed
    expect(verifyReceiptMinerSignature(initial.signed.payload, mine[0].miner_signature)).toBe(true);
  });
  it('streaming job: V0StreamingJobReadyRequest between volumes ready and execution done, signed by the miner', async () => {
    const m = horde.miners[0];
    const conn = connectionTo(m);
    const jobUuid = randomUUID();
    await conn.connect();
    const initial = initialRequest(alice(), m.hotkey, jobUuid, 'always_on.test');
    initial.message.streaming_details = Object.assign(new StreamingDetails(), { public_key: 'client-cert-pem', executor_ip: null });
    await conn.send(initial.message);
    expect((await conn.waitFor('V0AcceptJobRequest', { timeoutMs: 5000, jobUuid })).ok).toBe(true);
    expect((await conn.waitFor('V0ExecutorReadyRequest', { timeoutMs: 5000, jobUuid })).ok).toBe(true);
    await conn.send(jobRequest(jobUuid, 'always_on.test', [], inlineVolume({ 'a.txt': 'x' })));
    const order: string[] = [];
    for (const t of ['V0VolumesReadyRequest', 'V0StreamingJobReadyRequest', 'V0ExecutionDoneRequest', 'V0JobFinishedRequest'] as const) {
      const r = await conn.waitFor(t, { timeoutMs: 5000, jobUuid });
      if (!r.ok) throw new Error(r.failure.reason);
      order.push(r.message.message_type);
      if (r.message.message_type === 'V0StreamingJobReadyRequest') expect(verifyStreamingReady(r.message, m.hotkey)).toBe(true);
    }
    expect(order).toHaveLength(4);
    await conn.close();
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
