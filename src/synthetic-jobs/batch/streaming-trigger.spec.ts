import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { generateSelfSignedCertificate, type SelfSignedCertificate } from '../../common/self-signed-certificate';
import { triggerStreamingJob } from './streaming-trigger';

/** Real HTTPS with mutual TLS on loopback: a bare executor endpoint per test. */
describe('streaming trigger (synthetic-jobs.md §5.3.5)', () => {
  let validator: SelfSignedCertificate;
  let executor: SelfSignedCertificate;
  let impostor: SelfSignedCertificate;
  const servers: Server[] = [];
  const uuid = '11111111-2222-4333-8444-555555555555';

  beforeAll(async () => {
    [validator, executor, impostor] = await Promise.all([
      generateSelfSignedCertificate({ altName: '127.0.0.1' }),
      generateSelfSignedCertificate({ altName: '127.0.0.1' }),
      generateSelfSignedCertificate({ altName: '127.0.0.1' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  interface Seen { path: string; method: string; body: string; clientFingerprint: string | null; host: string | undefined }
  async function endpoint(serving: SelfSignedCertificate, answer: (seen: Seen) => { status: number; body: string }): Promise<{ port: number; seen: Seen[] }> {
    const seen: Seen[] = [];
    const server = createServer({ cert: serving.certPem, key: serving.keyPem(), ca: validator.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const s: Seen = { path: req.url ?? '', method: req.method ?? '', body, clientFingerprint: peer?.fingerprint256 ?? null, host: req.headers.host };
        seen.push(s);
        const a = answer(s);
        res.writeHead(a.status, { 'Content-Type': 'application/json' }).end(a.body);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.address() as AddressInfo).port, seen };
  }
  const answers = (hash: unknown) => (s: Seen) => (s.path === '/execute-job' ? { status: 200, body: JSON.stringify({ '/output/x.json': hash }) } : { status: 200, body: '{}' });

  it('posts the seed with the validator certificate, returns the hash and the processing time, then terminates', async () => {
    const { port, seen } = await endpoint(executor, answers('ab'.repeat(32)));
    const r = await triggerStreamingJob({ jobUuid: uuid, target: { ip: '127.0.0.1', port, certPem: executor.certPem }, seed: 4242, client: validator });
    expect(r).toMatchObject({ url: `https://127.0.0.1:${port}/execute-job`, responseHash: 'ab'.repeat(32), failReason: null, terminateError: null });
    expect(r.processingSeconds).toBeGreaterThan(0);
    expect(r.processingSeconds).toBeLessThan(5);
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([['POST', '/execute-job', '{"seed":4242}'], ['GET', '/terminate', '']]);
    expect(seen[0].clientFingerprint).toBe(new X509Certificate(validator.certPem).fingerprint256);
    expect(seen[0].host).toBe('127.0.0.1');
  });

  it('refuses a server whose certificate is not the one from the ready message (nothing is sent)', async () => {
    const { port, seen } = await endpoint(impostor, answers('ab'.repeat(32)));
    const r = await triggerStreamingJob({ jobUuid: uuid, target: { ip: '127.0.0.1', port, certPem: executor.certPem }, seed: 1, client: validator });
    expect(r.responseHash).toBeNull();
    expect(r.processingSeconds).toBeNull();
    expect(r.failReason).toMatch(new RegExp(`^Failed to execute streaming job ${uuid} on https://127\\.0\\.0\\.1:${port}/execute-job: .*(self[- ]signed|certificate)`, 'i'));
    expect(r.terminateError).not.toBeNull();
    expect(seen).toEqual([]);
  });

  it('refuses a certificate valid for another address (normal IP verification)', async () => {
    const elsewhere = await generateSelfSignedCertificate({ altName: '10.1.2.3' });
    const { port, seen } = await endpoint(elsewhere, answers('ab'.repeat(32)));
    const r = await triggerStreamingJob({ jobUuid: uuid, target: { ip: '127.0.0.1', port, certPem: elsewhere.certPem }, seed: 1, client: validator });
    expect(r.failReason).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
    expect(seen).toEqual([]);
  });

  it('records HTTP errors and malformed answers with the reference wording, and still terminates', async () => {
    const err = await endpoint(executor, (s) => (s.path === '/execute-job' ? { status: 500, body: 'model crashed' } : { status: 200, body: '' }));
    const r500 = await triggerStreamingJob({ jobUuid: uuid, target: { ip: '127.0.0.1', port: err.port, certPem: executor.certPem }, seed: 1, client: validator });
    expect(r500.failReason).toBe(`Failed to execute streaming job ${uuid} on https://127.0.0.1:${err.port}/execute-job: HTTP 500, the response was: "model crashed"`);
    expect(err.seen.map((s) => s.path)).toEqual(['/execute-job', '/terminate']);

    const list = await endpoint(executor, (s) => (s.path === '/execute-job' ? { status: 200, body: '["abc"]' } : { status: 200, body: '' }));
    const rList = await triggerStreamingJob({ jobUuid: uuid, target: { ip: '127.0.0.1', port: list.port, certPem: executor.certPem }, seed: 1, client: validator });
    expect(rList.failReason).toBe(`Malformed response from https://127.0.0.1:${list.port}/execute-job (job_uuid=${uuid}), reason=expected a JSON object, got an array`);
    expect(rList.processingSeconds).not.toBeNull();

    const num = await endpoint(executor, answers(12));
    const rNum = await triggerStreamingJob({ jobUuid: uuid, target: { ip: '127.0.0.1', port: num.port, certPem: executor.certPem }, seed: 1, client: validator });
    expect(rNum.failReason).toMatch(/reason=the answer file hash is not a string \(12\)$/);
  });

  it('gives up after the timeout, and needs an executor ip', async () => {
    // a server that never answers
    const hang = createServer({ cert: executor.certPem, key: executor.keyPem(), ca: validator.certPem, requestCert: true, rejectUnauthorized: true }, () => undefined);
    servers.push(hang);
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const port = (hang.address() as AddressInfo).port;
    const r = await triggerStreamingJob({ jobUuid: uuid, target: { ip: '127.0.0.1', port, certPem: executor.certPem }, seed: 1, client: validator, timeoutMs: 300 });
    expect(r.failReason).toMatch(/: timed out after 0\.3 s$/);
    const noIp = await triggerStreamingJob({ jobUuid: uuid, target: { ip: null, port: 1, certPem: executor.certPem }, seed: 1, client: validator });
    expect(noIp.failReason).toBe(`Failed to execute streaming job ${uuid} on https://None:1/execute-job: the ready message has no executor ip`);
    hang.closeAllConnections();
  });
});
