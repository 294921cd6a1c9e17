import { createHmac } from 'node:crypto';
import { presignV2, publicUrl, resolvedEndpoint } from './s3-urls';
import { parseSignatureVersion, s3SettingsFromConfig } from './s3-settings';
import { S3Presigner } from './s3-presigner';
import { splitLines } from './s3-http';
import { AppConfig } from '../config/app-config';

describe('public URLs (spec §13.11)', () => {
  it.each([
    ['obj', 'prefix/', 'fake_bucket_name', undefined, undefined, 'https://s3.amazonaws.com/fake_bucket_name/prefix/obj'],
    ['obj', '', 'fake_bucket_name', undefined, undefined, 'https://s3.amazonaws.com/fake_bucket_name/obj'],
    ['obj', 'prefix/', 'custom', 'https://s3.us-west-004.backblazeb2.com', undefined, 'https://s3.us-west-004.backblazeb2.com/custom/prefix/obj'],
    ['obj', '', 'b', undefined, 'us-east-1', 'https://s3.amazonaws.com/b/obj'],
    ['obj', '', 'b', undefined, 'eu-central-1', 'https://s3.eu-central-1.amazonaws.com/b/obj'],
  ])('%s %s %s endpoint=%s region=%s', (key, prefix, bucket, endpointUrl, region, expected) => {
    expect(publicUrl({ endpointUrl, region }, bucket, key, prefix)).toBe(expected);
  });

  it('a trailing slash of AWS_ENDPOINT_URL does not double the slash', () => {
    const config = AppConfig.fromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:7480/' });
    expect(resolvedEndpoint(s3SettingsFromConfig(config))).toBe('http://127.0.0.1:7480');
  });
});

describe('presigned URLs', () => {
  const base = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', signatureVersion: 'v4' as const, bucketPrompts: 'p', bucketAnswers: 'a' };

  it('SigV4 with a custom endpoint: path style, 3600 s, only the host header signed, no checksum parameter', async () => {
    const p = new S3Presigner({ ...base, region: undefined, endpointUrl: 'https://s3.us-west-004.backblazeb2.com' }, () => Date.UTC(2025, 10, 4, 12));
    const url = await p.uploadUrl('fake_bucket_name', 'object_name', 'prefix/');
    expect(url.startsWith('https://s3.us-west-004.backblazeb2.com/fake_bucket_name/prefix/object_name?')).toBe(true);
    expect(url).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(url).toContain('X-Amz-Credential=AKIDEXAMPLE%2F20251104%2Fus-east-1%2Fs3%2Faws4_request');
    expect(url).toContain('X-Amz-Expires=3600');
    expect(url).toContain('X-Amz-SignedHeaders=host');
    expect(url.toLowerCase()).not.toContain('checksum');
    expect(await p.downloadUrl('fake_bucket_name', 'object_name', 'prefix/')).toContain('/fake_bucket_name/prefix/object_name?');
    p.destroy();
  });

  it('SigV4 on AWS in a region: virtual-hosted style, region in the credential scope', async () => {
    const p = new S3Presigner({ ...base, region: 'eu-central-1', endpointUrl: undefined }, () => Date.UTC(2025, 10, 4, 12));
    const url = await p.uploadUrl('my-bucket', 'solved/abc.json');
    expect(url.startsWith('https://my-bucket.s3.eu-central-1.amazonaws.com/solved/abc.json?')).toBe(true);
    expect(url).toContain('%2Feu-central-1%2Fs3%2Faws4_request');
    p.destroy();
  });

  it('SigV2 query signing: HMAC-SHA1 over METHOD, empty MD5 and type, expiry and /bucket/key', () => {
    const url = presignV2({ ...base, region: undefined, endpointUrl: undefined }, 'PUT', 'my-bucket', 'solved/abc.json', 1762257600);
    const expected = createHmac('sha1', 'secret').update('PUT\n\n\n1762257600\n/my-bucket/solved/abc.json').digest('base64');
    expect(url).toBe(`https://my-bucket.s3.amazonaws.com/solved/abc.json?AWSAccessKeyId=AKIDEXAMPLE&Signature=${encodeURIComponent(expected)}&Expires=1762257600`);
  });

  it('refuses to sign without credentials', async () => {
    const p = new S3Presigner({ ...base, accessKeyId: '', region: undefined, endpointUrl: undefined });
    await expect(p.uploadUrl('b', 'k')).rejects.toThrow('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set');
  });
});

describe('settings', () => {
  it('maps AWS_SIGNATURE_VERSION like botocore and refuses unknown values', () => {
    expect(parseSignatureVersion('')).toBe('v4');
    expect(parseSignatureVersion('s3v4')).toBe('v4');
    expect(parseSignatureVersion('s3')).toBe('v2');
    expect(() => parseSignatureVersion('v9')).toThrow('AWS_SIGNATURE_VERSION="v9" is not supported');
  });

  it('region: flag, then AWS_DEFAULT_REGION, then AWS_REGION; flags override every variable', () => {
    const config = AppConfig.fromEnv({ AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'us-west-2', S3_BUCKET_NAME_PROMPTS: 'p', AWS_ACCESS_KEY_ID: 'id' });
    expect(s3SettingsFromConfig(config).region).toBe('eu-west-1');
    expect(s3SettingsFromConfig(AppConfig.fromEnv({ AWS_REGION: 'us-west-2' })).region).toBe('us-west-2');
    const s = s3SettingsFromConfig(config, { region: 'ap-south-1', bucketPrompts: 'q', accessKeyId: 'other' });
    expect([s.region, s.bucketPrompts, s.accessKeyId]).toEqual(['ap-south-1', 'q', 'other']);
  });
});

describe('splitLines (Python str.splitlines)', () => {
  it.each([
    ['prompt1\nprompt2\nprompt3', ['prompt1', 'prompt2', 'prompt3']],
    ['single_prompt', ['single_prompt']],
    ['', []],
    ['a\r\nb\rc\n', ['a', 'b', 'c']],
    ['a\u2028b\x85c\n\nd', ['a', 'b', 'c', '', 'd']],
  ])('%j', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });
});
