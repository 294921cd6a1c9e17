import { randomBytes, randomUUID } from 'node:crypto';
import { S3Presigner } from '../s3-presigner';
import { hasCredentials, S3Settings } from '../s3-settings';
import { fetchWithRetry, RetryOptions, S3ConnectionError } from '../s3-http';
import { resolvedEndpoint } from '../s3-urls';
import {
  BUCKET_VARIABLE,
  BucketRole,
  diagnoseDownloadFailure,
  diagnoseUnreachable,
  diagnoseUploadFailure,
  MISSING_CREDENTIALS_MESSAGE,
  RegionEnvironment,
} from './diagnose';

export interface CheckOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface CheckOptions extends RetryOptions {
  /** AWS_REGION / AWS_DEFAULT_REGION as the process sees them (for the region warning). */
  regionEnv: RegionEnvironment;
}

export const SUCCESS_LINE = '🎉 Your S3 configuration works! 🎉';

/**
 * The reference's check_s3_setup: for the prompts bucket, then the answers bucket, presign a PUT
 * for `diagnostic-<uuid4>`, upload 64 random hex characters, GET the public URL and compare. Stops at
 * the first failing bucket. Every printed line goes through `scrub` so neither the access key id
 * nor the secret can appear, and URLs are printed without their signed query.
 * Returns true only when both buckets pass.
 */
export async function checkS3Setup(settings: S3Settings, io: CheckOutput, opts: CheckOptions): Promise<boolean> {
  const scrub = scrubber(settings);
  const out = (l: string) => io.out(scrub(l));
  const err = (l: string) => io.err(scrub(l));
  if (!hasCredentials(settings)) {
    MISSING_CREDENTIALS_MESSAGE.forEach(err);
    return false;
  }
  const presigner = new S3Presigner(settings);
  try {
    for (const role of ['prompts', 'answers'] as BucketRole[]) {
      if (!(await checkBucket(role, settings, presigner, out, err, opts))) return false;
    }
    return true;
  } finally {
    presigner.destroy();
  }
}

async function checkBucket(
  role: BucketRole,
  settings: S3Settings,
  presigner: S3Presigner,
  out: (l: string) => void,
  err: (l: string) => void,
  opts: CheckOptions,
): Promise<boolean> {
  const bucket = role === 'prompts' ? settings.bucketPrompts : settings.bucketAnswers;
  if (!bucket) {
    err(`${BUCKET_VARIABLE[role]} is not set: put the name of the ${role} bucket in .env or pass --s3-bucket-name-${role}.`);
    return false;
  }
  out(`Checking the ${role} bucket '${bucket}' (endpoint ${resolvedEndpoint(settings)}, signature ${settings.signatureVersion === 'v2' ? 's3' : 's3v4'})`);
  const testFile = `diagnostic-${randomUUID()}`;
  const contents = randomBytes(32).toString('hex');

  const uploadUrl = await presigner.uploadUrl(bucket, testFile);
  out(`  presigned upload URL for ${testFile}: OK`);

  const put = await request(uploadUrl, { method: 'PUT', body: new Uint8Array(Buffer.from(contents, 'utf8')) }, opts);
  if ('unreachable' in put) {
    diagnoseUnreachable(resolvedEndpoint(settings), put.unreachable).forEach(err);
    return false;
  }
  if (put.status < 200 || put.status >= 300) {
    diagnoseUploadFailure(role, bucket, put, opts.regionEnv).forEach(err);
    return false;
  }
  out('  upload through the presigned URL: OK');

  const url = presigner.publicUrl(bucket, testFile);
  const get = await request(url, { method: 'GET' }, opts);
  if ('unreachable' in get) {
    diagnoseUnreachable(resolvedEndpoint(settings), get.unreachable).forEach(err);
    return false;
  }
  if (get.status < 200 || get.status >= 300) {
    diagnoseDownloadFailure(role, bucket, url, get, opts.regionEnv).forEach(err);
    return false;
  }
  out(`  download from the public URL ${url}: OK`);
  if (get.body.trim() !== contents) {
    err(`The public URL ${url} returned different contents than were uploaded; check AWS_ENDPOINT_URL points at the same S3 service.`);
    return false;
  }
  out('  downloaded contents match: OK');
  out('');
  out('');
  out(SUCCESS_LINE);
  return true;
}

type Answer = { status: number; body: string; bucketRegion?: string } | { unreachable: string };

async function request(url: string, init: RequestInit, opts: RetryOptions): Promise<Answer> {
  try {
    const res = await fetchWithRetry(url, init, opts);
    return { status: res.status, body: await res.text(), bucketRegion: res.headers.get('x-amz-bucket-region') ?? undefined };
  } catch (e) {
    if (e instanceof S3ConnectionError) return { unreachable: e.reason };
    throw e;
  }
}

function scrubber(settings: S3Settings): (line: string) => string {
  const secrets = [settings.secretAccessKey, settings.accessKeyId].filter((s) => s.length >= 4);
  return (line) => secrets.reduce((l, s) => l.split(s).join('***'), line);
}
