import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { ENSURE_SCRIPT, RELEASE_SCRIPT } from './peer-scripts';

const run = promisify(execFile);

export interface S3PeerOptions {
  /** Where the cluster lives; one cluster per directory, shared by every user of it. */
  dir?: string;
  rgwPort?: number;
  monPort?: number;
}

export const S3_PEER_ACCESS_KEY = 'chv-test-access-key';
export const S3_PEER_SECRET_KEY = 'chv-test-secret-key';

/**
 * A real S3 server for tests and the demo: Ceph RADOS Gateway on 127.0.0.1 (test-peers.md §1).
 * `acquireS3Peer()` starts it (about 13 s) or joins one already running in the same directory (other
 * jest workers, the demo); `release()` drops this user's lease and stops the daemons when the last
 * lease is gone. Buckets are cheap: give every test its own.
 */
export class S3Peer {
  readonly region = 'us-east-1';
  readonly accessKeyId = S3_PEER_ACCESS_KEY;
  readonly secretAccessKey = S3_PEER_SECRET_KEY;
  private sdk: S3Client | undefined;
  private released = false;

  private constructor(
    readonly dir: string,
    readonly rgwPort: number,
    private readonly token: string,
    /** True when this call started the daemons, false when it joined running ones. */
    readonly started: boolean,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.rgwPort}`;
  }

  static async acquire(opts: S3PeerOptions = {}): Promise<S3Peer> {
    const dir = opts.dir ?? process.env.S3_PEER_DIR ?? defaultDir();
    const rgwPort = opts.rgwPort ?? Number(process.env.S3_PEER_PORT ?? 17480);
    const monPort = opts.monPort ?? Number(process.env.S3_PEER_MON_PORT ?? 16789);
    const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
    // the lease is taken inside the lock, so a concurrent release cannot stop the cluster under us
    const { stdout } = await flocked(dir, ENSURE_SCRIPT, [dir, String(rgwPort), String(monPort), S3_PEER_ACCESS_KEY, S3_PEER_SECRET_KEY, token, String(process.pid)]);
    return new S3Peer(dir, rgwPort, token, stdout.trim().endsWith('started'));
  }

  /** Stops the daemons in `dir` unless a live process still holds a lease (manual runs, cleanup). */
  static async stopUnused(opts: Pick<S3PeerOptions, 'dir'> = {}): Promise<'stopped' | 'kept'> {
    const dir = opts.dir ?? process.env.S3_PEER_DIR ?? defaultDir();
    const { stdout } = await flocked(dir, RELEASE_SCRIPT, [dir, 'none']);
    return stdout.trim().endsWith('kept') ? 'kept' : 'stopped';
  }

  /** An SDK client with the project's settings for this peer (admin work in tests). */
  client(): S3Client {
    this.sdk ??= new S3Client({
      endpoint: this.endpoint,
      region: this.region,
      forcePathStyle: true,
      credentials: { accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return this.sdk;
  }

  /**
   * Creates a bucket with the public-read policy validator/provision_s3.sh gives production buckets
   * (anonymous s3:GetObject), unless `publicRead` is false.
   */
  async createBucket(name: string, opts: { publicRead?: boolean } = {}): Promise<void> {
    await this.client().send(new CreateBucketCommand({ Bucket: name }));
    if (opts.publicRead === false) return;
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${name}/*`] }],
    };
    await this.client().send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(policy) }));
  }

  /** Validator environment variables pointing at this peer. */
  env(buckets: { prompts: string; answers: string }): Record<string, string> {
    return {
      AWS_ACCESS_KEY_ID: this.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.secretAccessKey,
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_DEFAULT_REGION: this.region,
      S3_BUCKET_NAME_PROMPTS: buckets.prompts,
      S3_BUCKET_NAME_ANSWERS: buckets.answers,
    };
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.sdk?.destroy();
    await flocked(this.dir, RELEASE_SCRIPT, [this.dir, this.token]);
  }
}

function defaultDir(): string {
  return join(tmpdir(), `chv-s3-peer-${process.getuid?.() ?? 0}`);
}

/** A bucket name unique to one test (S3 names: lowercase, digits, hyphens, 3-63 chars). */
export function uniqueBucketName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`.toLowerCase().slice(0, 63);
}

async function flocked(dir: string, script: string, args: string[]): Promise<{ stdout: string }> {
  mkdirSync(join(dir, '..'), { recursive: true });
  const scriptFile = join(tmpdir(), `chv-s3-peer-${randomBytes(4).toString('hex')}.sh`);
  writeFileSync(scriptFile, script, { mode: 0o700 });
  try {
    const { stdout } = await run('flock', ['-o', `${dir}.lock`, 'bash', scriptFile, ...args], { timeout: 120_000, maxBuffer: 1 << 20 });
    return { stdout };
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`S3 peer (Ceph RADOS Gateway) script failed: ${err.stderr?.trim() || err.message}`);
  } finally {
    await run('rm', ['-f', scriptFile]).catch(() => undefined);
  }
}
