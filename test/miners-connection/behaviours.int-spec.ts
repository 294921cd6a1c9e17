import { randomUUID } from 'crypto';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { echoHashAnswer, startSimulatedHorde, type ExecutorBehaviour, type SimulatedHorde } from '../../src/devnet/miners';
import { ExecutorTimingDetails, verifyReceiptValidatorSignature } from '../../src/protocol';
import { acceptedReceipt, alice, connectionTo, initialRequest, inlineVolume, jobRequest } from './validator-side';

const otherValidator = () => new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Charlie');

describe('simulated miner behaviours as seen through the miner connection', () => {
  let horde: SimulatedHorde;
  const behaviours: Record<string, ExecutorBehaviour> = {
    slow: { kind: 'slow', delaysMs: { accept: 400 } },
    wrong: { kind: 'wrong-answer' },
    declineValid: { kind: 'decline', excuse: 'valid', excuseCount: 2 },
    declineForged: { kind: 'decline', excuse: 'forged' },
    disconnect: { kind: 'disconnect', after: 'job-request' },
    garbage: { kind: 'garbage', after: 'job-request', count: 5 },
    silent: { kind: 'silent', after: 'initial-request' },
    deadline: { kind: 'slow', delaysMs: { volumesReady: 1500 } },
    blacklisting: { kind: 'honest' },
  };
  const names = Object.keys(behaviours);
  beforeAll(async () => {
    await cryptoWaitReady();
    horde = await startSimulatedHorde({
      miners: names.map((n) => ({
        executors: [{ executorClass: 'always_on.test' as const, behaviour: behaviours[n] }],
        excuseSigners: [otherValidator()],
        enforceDeadlines: n === 'deadline',
        blacklistedValidators: n === 'blacklisting' ? [alice().address] : undefined,
      })),
    });
  });
  afterAll(() => horde.stop());
  const minerOf = (name: string) => horde.miners[names.indexOf(name)];

  async function startJob(name: string) {
    const m = minerOf(name);
    const conn = connectionTo(m);
    const jobUuid = randomUUID();
    await conn.connect();
    const initial = initialRequest(alice(), m.hotkey, jobUuid, 'always_on.test').message;
    if (name === 'deadline') {
      initial.executor_timing = Object.assign(new ExecutorTimingDetails(), { allowed_leeway: 0, download_time_limit: 1, execution_time_limit: 1, upload_time_limit: 1, streaming_start_time_limit: 0 });
    }
    await conn.send(initial);
    return { m, conn, jobUuid };
  }

  async function runToJobRequest(name: string, files = { 'x.txt': 'payload' }) {
    const { m, conn, jobUuid } = await startJob(name);
    const accept = await conn.waitFor('V0AcceptJobRequest', { timeoutMs: 5000, jobUuid });
    expect(accept.ok).toBe(true);
    await conn.send(acceptedReceipt(alice(), m.hotkey, jobUuid).message);
    expect((await conn.waitFor('V0ExecutorReadyRequest', { timeoutMs: 5000, jobUuid })).ok).toBe(true);
    await conn.send(jobRequest(jobUuid, 'always_on.test', [], inlineVolume(files)));
    return { m, conn, jobUuid };
  }

  it('slow: a stage deadline shorter than the delay ends the wait with a timeout', async () => {
    const { conn, jobUuid } = await startJob('slow');
    const early = await conn.waitFor('V0AcceptJobRequest', { timeoutMs: 100, jobUuid });
    expect(!early.ok && early.failure.kind).toBe('timeout');
    const late = await conn.waitFor('V0AcceptJobRequest', { timeoutMs: 5000, jobUuid });
    expect(late.ok).toBe(true);
    await conn.close();
  });

  it('wrong answer: the job finishes but stdout is not the answer computed from the payload', async () => {
    const { conn, jobUuid } = await runToJobRequest('wrong');
    const fin = await conn.waitFor('V0JobFinishedRequest', { timeoutMs: 5000, jobUuid });
    if (!fin.ok) throw new Error(fin.failure.reason);
    expect(fin.message.docker_process_stdout).not.toBe(echoHashAnswer([], new Map([['x.txt', Buffer.from('payload')]])));
    await conn.close();
  });

  it('decline with valid excuses: receipts signed by another validator verify', async () => {
    const { m, conn, jobUuid } = await startJob('declineValid');
    const d = await conn.waitFor(['V0AcceptJobRequest', 'V0DeclineJobRequest'], { timeoutMs: 5000, jobUuid });
    if (!d.ok || d.message.message_type !== 'V0DeclineJobRequest') throw new Error('expected a decline');
    expect(d.message.reason).toBe('busy');
    expect(d.message.receipts).toHaveLength(2);
    for (const r of d.message.receipts) {
      expect(r.payload.validator_hotkey).toBe(otherValidator().address);
      expect(r.payload.miner_hotkey).toBe(m.hotkey);
      expect(verifyReceiptValidatorSignature(r.payload, r.validator_signature)).toBe(true);
    }
    await conn.close();
  });

  it('decline with forged excuses: the receipts do not verify', async () => {
    const { conn, jobUuid } = await startJob('declineForged');
    const d = await conn.waitFor('V0DeclineJobRequest', { timeoutMs: 5000, jobUuid });
    if (!d.ok) throw new Error(d.failure.reason);
    expect(d.message.receipts.length).toBeGreaterThan(0);
    for (const r of d.message.receipts) expect(verifyReceiptValidatorSignature(r.payload, r.validator_signature)).toBe(false);
    await conn.close();
  });

  it('disconnect mid-job: the connection reconnects and re-authenticates; the job answer never comes', async () => {
    const { m, conn, jobUuid } = await runToJobRequest('disconnect');
    const fin = await conn.waitFor('V0JobFinishedRequest', { timeoutMs: 800, jobUuid });
    expect(!fin.ok && fin.failure.kind).toBe('timeout');
    expect(conn.failures.some((f) => f.kind === 'closed' && /reconnecting/.test(f.reason))).toBe(true);
    // the second connection authenticated again (fresh auth after reconnect) and got a fresh manifest
    expect(m.miner.events.filter((e) => e.kind === 'authenticated')).toHaveLength(2);
    expect(conn.state).toBe('open');
    await conn.close();
  });

  it('garbage frames: each is recorded as unparseable with a reason, and interrupts a wait that asks for it', async () => {
    const { conn, jobUuid } = await runToJobRequest('garbage');
    const fin = await conn.waitFor('V0JobFinishedRequest', { timeoutMs: 5000, jobUuid, interrupt: ['unparseable'] });
    expect(!fin.ok && fin.failure.kind).toBe('unparseable');
    await new Promise((r) => setTimeout(r, 200));
    const unparseable = conn.failures.filter((f) => f.kind === 'unparseable');
    expect(unparseable).toHaveLength(5);
    for (const f of unparseable) expect(f.reason.length).toBeGreaterThan(0);
    expect(conn.state).toBe('open');
    await conn.close();
  });

  it('silent: no answer to the initial request ends in a timeout', async () => {
    const { conn, jobUuid } = await startJob('silent');
    const r = await conn.waitFor(['V0AcceptJobRequest', 'V0DeclineJobRequest'], { timeoutMs: 300, jobUuid });
    expect(!r.ok && r.failure.kind).toBe('timeout');
    await conn.close();
  });

  it('connect retries: an address where nobody listens fails as closed after the configured attempts', async () => {
    const conn = connectionTo({ hotkey: horde.miners[0].hotkey, host: '127.0.0.1', port: 1 }, { maxRetries: 3 });
    const r = await conn.connect();
    expect(!r.ok && r.failure.kind).toBe('closed');
    expect(!r.ok && r.failure.reason).toMatch(/after 3 attempts/);
    expect(conn.failures.filter((f) => /connect attempt/.test(f.reason))).toHaveLength(3);
    const w = await conn.waitFor('V0AcceptJobRequest', { timeoutMs: 1000 });
    expect(!w.ok && w.failure.kind).toBe('closed');
  });

  it('enforced executor deadlines: a download stage slower than leeway + download limit ends as V0JobFailedRequest(timeout, volume_download)', async () => {
    const { conn, jobUuid } = await runToJobRequest('deadline');
    const r = await conn.waitFor(['V0VolumesReadyRequest', 'V0JobFailedRequest'], { timeoutMs: 5000, jobUuid });
    if (!r.ok) throw new Error(r.failure.reason);
    expect(r.message).toMatchObject({ message_type: 'V0JobFailedRequest', reason: 'timeout', stage: 'volume_download' });
    await conn.close();
  });

  it("interrupt ['unexpected']: a decline while waiting only for accept ends the wait as unexpected, carrying the decline", async () => {
    const { conn, jobUuid } = await startJob('declineForged');
    const r = await conn.waitFor('V0AcceptJobRequest', { timeoutMs: 5000, jobUuid, interrupt: ['unexpected'] });
    expect(!r.ok && r.failure.kind).toBe('unexpected');
    expect(!r.ok && r.failure.message?.message_type).toBe('V0DeclineJobRequest');
    expect(!r.ok && r.failure.reason).toBe('expected V0AcceptJobRequest, got V0DeclineJobRequest');
    await conn.close();
  });

  it('blacklisted validator: declined with reason validator_blacklisted and no receipts; nothing stored', async () => {
    const { m, conn, jobUuid } = await startJob('blacklisting');
    const d = await conn.waitFor(['V0AcceptJobRequest', 'V0DeclineJobRequest'], { timeoutMs: 5000, jobUuid });
    if (!d.ok) throw new Error(d.failure.reason);
    expect(d.message).toMatchObject({ message_type: 'V0DeclineJobRequest', reason: 'validator_blacklisted', receipts: [] });
    expect(m.miner.receipts.filter((r) => r.payload.job_uuid === jobUuid)).toEqual([]);
    await conn.close();
  });
});
