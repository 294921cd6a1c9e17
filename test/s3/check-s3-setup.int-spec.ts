import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { S3Peer, uniqueBucketName } from '../../src/devnet/s3-peer/ceph-s3-peer';
import { checkS3Setup, SUCCESS_LINE } from '../../src/s3/check/check-s3-setup';
import { s3SettingsFromConfig, S3SettingsOverrides } from '../../src/s3/s3-settings';
import { AppConfig } from '../../src/config/app-config';

const testConfig = (env: Record<string, string>) => AppConfig.fromEnv({ LOG_LEVEL: 'warn', ...env });
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';

jest.setTimeout(180_000);
const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('check-s3-setup against a real Ceph RADOS Gateway', () => {
  let peer: S3Peer;
  let dbs: ThrowawayDatabase[] = [];
  const prompts = uniqueBucketName('chk-prompts');
  const answers = uniqueBucketName('chk-answers');

  beforeAll(async () => {
    // one database per CLI run: the two runs migrate concurrently
    [peer, ...dbs] = await Promise.all([S3Peer.acquire(), createThrowawayDatabase(), createThrowawayDatabase()]);
    await peer.createBucket(prompts);
    await peer.createBucket(answers);
  });

  afterAll(async () => {
    await peer?.release();
    await Promise.all(dbs.map((d) => d.drop()));
  });

  async function check(overrides: S3SettingsOverrides = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const settings = s3SettingsFromConfig(testConfig(peer.env({ prompts, answers })), overrides);
    const ok = await checkS3Setup(settings, { out: (l) => out.push(l), err: (l) => err.push(l) }, { regionEnv: {}, delayMs: 50 });
    return { ok, out, err, all: [...out, ...err].join('\n') };
  }

  async function diagnosticObjects(bucket: string): Promise<string[]> {
    const listed = await peer.client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'diagnostic-' }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  }

  it('passes on good settings: OK per step, the success line once per bucket, one diagnostic object per bucket', async () => {
    const r = await check();
    expect(r.ok).toBe(true);
    expect(r.err).toEqual([]);
    expect(r.out.filter((l) => l === SUCCESS_LINE)).toHaveLength(2);
    expect(r.out.filter((l) => l.endsWith(': OK'))).toHaveLength(8);
    expect(await diagnosticObjects(prompts)).toHaveLength(1);
    expect(await diagnosticObjects(answers)).toHaveLength(1);
  });

  it('a wrong secret: diagnosed as such, the answers bucket is not tried, the secret is never printed', async () => {
    const r = await check({ secretAccessKey: 'wrong-secret-value-123' });
    expect(r.ok).toBe(false);
    expect(r.err.join('\n')).toContain('SignatureDoesNotMatch');
    expect(r.err.join('\n')).toContain('AWS_SECRET_ACCESS_KEY');
    expect(r.all).not.toContain(answers);
    expect(r.all).not.toContain('wrong-secret-value-123');
    expect(r.all).not.toContain(peer.accessKeyId);
  });

  it('an unknown access key: diagnosed as InvalidAccessKeyId naming AWS_ACCESS_KEY_ID', async () => {
    const r = await check({ accessKeyId: 'AKIDNOTKNOWNTOCEPH' });
    expect(r.ok).toBe(false);
    expect(r.err.join('\n')).toMatch(/InvalidAccessKeyId[\s\S]*AWS_ACCESS_KEY_ID/);
  });

  it('a missing bucket: the prompts bucket passes, the answers bucket is reported missing', async () => {
    const missing = uniqueBucketName('missing');
    const r = await check({ bucketAnswers: missing });
    expect(r.ok).toBe(false);
    expect(r.out.filter((l) => l === SUCCESS_LINE)).toHaveLength(1);
    expect(r.err[0]).toBe(`The bucket '${missing}' does not exist (NoSuchBucket).`);
    expect(r.err[1]).toContain('S3_BUCKET_NAME_ANSWERS');
  });

  it('a bucket without public read: the upload passes, the diagnosis names the missing public-read policy', async () => {
    const closed = uniqueBucketName('closed');
    await peer.createBucket(closed, { publicRead: false });
    const r = await check({ bucketPrompts: closed });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('  upload through the presigned URL: OK');
    expect(r.err.join('\n')).toContain('cannot be read anonymously (HTTP 403 AccessDenied)');
  });

  it('an unreachable endpoint: diagnosed after the retries, naming AWS_ENDPOINT_URL', async () => {
    const port = await closedPort();
    const r = await check({ endpointUrl: `http://127.0.0.1:${port}` });
    expect(r.ok).toBe(false);
    expect(r.err[0]).toMatch(new RegExp(`^Could not reach the S3 endpoint http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    expect(r.err[1]).toContain('AWS_ENDPOINT_URL');
  });

  it('no credentials: the reference message and no request at all', async () => {
    const r = await check({ accessKeyId: '', secretAccessKey: '' });
    expect(r.ok).toBe(false);
    expect(r.err[0]).toBe('You did not provide credentials.');
    expect(r.out).toEqual([]);
  });

  it('validator-cli check-s3-setup: exit 0 on good settings, exit 1 with the diagnosis on a wrong secret; flags override the environment', async () => {
    const env = (db: ThrowawayDatabase) => ({
      PATH: process.env.PATH ?? '',
      ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: db.url,
      ...peer.env({ prompts: 'not-the-bucket', answers }),
    });
    const cli = (db: ThrowawayDatabase, args: string[]) =>
      run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'check-s3-setup', ...args], { cwd: ROOT, env: env(db), timeout: 150_000 }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const [good, bad] = await Promise.all([
      cli(dbs[0], ['--s3-bucket-name-prompts', prompts]),
      cli(dbs[1], ['--s3-bucket-name-prompts', prompts, '--aws-secret-access-key', 'not-the-secret-42']),
    ]);
    expect(good.stdout.split('\n').filter((l) => l === SUCCESS_LINE)).toHaveLength(2);
    expect(good.code).toBe(0);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('SignatureDoesNotMatch');
    expect(bad.stdout + bad.stderr).not.toContain('not-the-secret-42');
  });
});
