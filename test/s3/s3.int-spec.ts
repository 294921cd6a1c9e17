import { randomUUID } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { S3Peer, uniqueBucketName } from '../../src/devnet/s3-peer/ceph-s3-peer';
import { S3Presigner } from '../../src/s3/s3-presigner';
import { S3Settings } from '../../src/s3/s3-settings';
import { downloadFileContent, downloadPromptsFromS3Url, S3HttpError, uploadPromptsToS3Url } from '../../src/s3/s3-http';
import { S3Service } from '../../src/s3/s3.service';
import { SystemClock } from '../../src/config/clock';
import { AppConfig } from '../../src/config/app-config';

const testConfig = (env: Record<string, string>) => AppConfig.fromEnv({ LOG_LEVEL: 'warn', ...env });

jest.setTimeout(120_000);

describe('S3 against a real Ceph RADOS Gateway', () => {
  let peer: S3Peer;
  const prompts = uniqueBucketName('prompts');
  const answers = uniqueBucketName('answers');
  const privateBucket = uniqueBucketName('private');
  let service: S3Service;

  beforeAll(async () => {
    peer = await S3Peer.acquire();
    await peer.createBucket(prompts);
    await peer.createBucket(answers);
    await peer.createBucket(privateBucket, { publicRead: false });
    service = new S3Service(testConfig(peer.env({ prompts, answers })), new SystemClock());
  });

  afterAll(async () => {
    service?.onModuleDestroy();
    await peer?.release();
  });

  it('uploads through a presigned PUT URL and reads the object back from its public URL', async () => {
    const key = randomUUID();
    const url = await service.uploadUrl(service.promptsBucket, key);
    expect(url.startsWith(`${peer.endpoint}/${prompts}/${key}?`)).toBe(true);
    expect(url).toContain('X-Amz-Expires=3600');
    expect(url).toContain('X-Amz-SignedHeaders=host');
    expect(url).not.toContain('x-amz-checksum');
    await uploadPromptsToS3Url(url, 'first prompt\nsecond prompt\nthird prompt');
    const publicUrl = service.publicUrl(service.promptsBucket, key);
    expect(publicUrl).toBe(`${peer.endpoint}/${prompts}/${key}`);
    expect(await downloadPromptsFromS3Url(publicUrl)).toEqual(['first prompt', 'second prompt', 'third prompt']);
    const stored = await peer.client().send(new GetObjectCommand({ Bucket: prompts, Key: key }));
    expect(await stored.Body!.transformToString()).toBe('first prompt\nsecond prompt\nthird prompt');
  });

  it('keeps prefixes in keys (solved/<uuid>.json in the answers bucket)', async () => {
    const file = `${randomUUID()}.json`;
    const put = await service.uploadUrl(service.answersBucket, file, 'solved/');
    const res = await fetch(put, { method: 'PUT', body: new Uint8Array(Buffer.from('{"a": "b"}')) });
    expect(res.status).toBe(200);
    const body = await downloadFileContent(service.publicUrl(service.answersBucket, file, 'solved/'));
    expect(JSON.parse(body.toString('utf8'))).toEqual({ a: 'b' });
  });

  it('presigned GET URLs read private objects that anonymous GETs cannot', async () => {
    const key = `diagnostic-${randomUUID()}`;
    await uploadPromptsToS3Url(await service.uploadUrl(privateBucket, key), 'secret text');
    const anonymous = await fetch(service.publicUrl(privateBucket, key));
    expect(anonymous.status).toBe(403);
    const signed = await downloadFileContent(await service.downloadUrl(privateBucket, key));
    expect(signed.toString()).toBe('secret text');
  });

  it('S3 refuses a presigned URL whose signature was tampered with, and one reused for another key', async () => {
    const url = await service.uploadUrl(service.answersBucket, 'tamper-target');
    const tampered = url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    await expect(uploadPromptsToS3Url(tampered, 'x')).rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const otherKey = url.replace('/tamper-target?', '/another-key?');
    await expect(uploadPromptsToS3Url(otherKey, 'x')).rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('legacy SigV2 URLs (AWS_SIGNATURE_VERSION=s3) work for upload and download', async () => {
    const settings: S3Settings = { ...service.settings, signatureVersion: 'v2' };
    const presigner = new S3Presigner(settings);
    const key = randomUUID();
    const put = await presigner.uploadUrl(prompts, key);
    expect(put).toMatch(new RegExp(`^${peer.endpoint}/${prompts}/${key}\\?AWSAccessKeyId=[^&]+&Signature=[^&]+&Expires=\\d+$`));
    await uploadPromptsToS3Url(put, 'v2 body');
    expect((await downloadFileContent(await presigner.downloadUrl(prompts, key))).toString()).toBe('v2 body');
  });

  it('a missing object or bucket is an HTTP error with the S3 code, never an empty result', async () => {
    // without s3:ListBucket for anonymous users S3 answers 403, not 404, for a missing key (AWS does too)
    await expect(downloadPromptsFromS3Url(service.publicUrl(prompts, 'no-such-key'))).rejects.toMatchObject({ status: 403, code: 'AccessDenied' });
    const signedMissing = await service.downloadUrl(prompts, 'no-such-key');
    await expect(downloadFileContent(signedMissing)).rejects.toMatchObject({ status: 404, code: 'NoSuchKey' });
    const err = await downloadFileContent(service.publicUrl('no-such-bucket-chv', 'x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3HttpError);
    expect((err as S3HttpError).code).toBe('NoSuchBucket');
  });
});
