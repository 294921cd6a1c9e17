import { request } from 'node:https';
import { generateSelfSignedCertificate, type SelfSignedCertificate } from '../../common/self-signed-certificate';
import { StreamingEndpoint } from './streaming-endpoint';

/** The simulated executor's mTLS front, with real HTTPS clients on loopback. */
describe('simulated streaming endpoint', () => {
  let server: SelfSignedCertificate;
  let validator: SelfSignedCertificate;
  let stranger: SelfSignedCertificate;
  let endpoint: StreamingEndpoint;
  const executed: unknown[] = [];

  beforeAll(async () => {
    [server, validator, stranger] = await Promise.all([1, 2, 3].map(() => generateSelfSignedCertificate({ altName: '127.0.0.1' })));
    endpoint = await StreamingEndpoint.start({
      host: '127.0.0.1', serverCertificate: server, clientCertPem: validator.certPem,
      onExecute: async (body) => {
        executed.push(body);
        return { status: 200, json: { '/output/a.json': 'ff' } };
      },
    });
  });
  afterAll(() => endpoint.stop());

  const call = (client: SelfSignedCertificate | null, method: string, path: string, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: endpoint.port, method, path, ca: server.certPem, agent: false, ...(client ? { cert: client.certPem, key: client.keyPem() } : {}) }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('refuses clients without the validator certificate from streaming_details', async () => {
    await expect(call(stranger, 'POST', '/execute-job', '{"seed":1}')).rejects.toThrow();
    await expect(call(null, 'POST', '/execute-job', '{"seed":1}')).rejects.toThrow();
    expect(executed).toEqual([]);
    expect(endpoint.refusedClients).toBeGreaterThanOrEqual(2);
  });

  it('serves the validator: health, one execution, then terminate', async () => {
    expect(await call(validator, 'GET', '/health')).toEqual({ status: 200, body: 'ok' });
    expect(await call(validator, 'POST', '/execute-job', '{"seed":7}')).toEqual({ status: 200, body: '{"/output/a.json":"ff"}' });
    expect((await call(validator, 'POST', '/execute-job', '{"seed":7}')).status).toBe(409);
    expect(executed).toEqual([{ seed: 7 }]);
    let terminated = false;
    void endpoint.terminated.then(() => (terminated = true));
    expect((await call(validator, 'GET', '/terminate')).status).toBe(200);
    await endpoint.terminated;
    expect(terminated).toBe(true);
  });
});
