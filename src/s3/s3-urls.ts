import { createHmac } from 'node:crypto';
import type { S3Settings } from './s3-settings';

/** Presigned URLs live this long (the reference's expiry). */
export const PRESIGNED_URL_EXPIRY_SECONDS = 3600;

/**
 * The endpoint botocore resolves: AWS_ENDPOINT_URL when set, else the global endpoint for no region or
 * us-east-1, else the regional one.
 */
export function resolvedEndpoint(s: Pick<S3Settings, 'endpointUrl' | 'region'>): string {
  if (s.endpointUrl) return s.endpointUrl;
  if (!s.region || s.region === 'us-east-1') return 'https://s3.amazonaws.com';
  return `https://s3.${s.region}.amazonaws.com`;
}

/**
 * Public (unsigned) URL of an object: `<endpoint>/<bucket>/<prefix><key>`, always path style, key
 * not escaped (the reference formats it the same way; our keys are uuids).
 */
export function publicUrl(s: Pick<S3Settings, 'endpointUrl' | 'region'>, bucket: string, key: string, prefix = ''): string {
  return `${resolvedEndpoint(s)}/${bucket}/${prefix}${key}`;
}

/** RFC 3986 escaping as S3 expects in paths (slashes kept). */
function escapePath(key: string): string {
  return key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * SigV2 query-string presigning (AWS_SIGNATURE_VERSION=s3), which the JS SDK no longer offers.
 * String to sign: `METHOD\n\n\n<expires>\n/<bucket>/<key>` (no Content-MD5, no Content-Type, so the
 * uploader must not send a Content-Type header, as the executors do not). Path style with a custom
 * endpoint, virtual-hosted style on AWS (as botocore builds them).
 */
export function presignV2(
  s: Pick<S3Settings, 'endpointUrl' | 'region' | 'accessKeyId' | 'secretAccessKey'>,
  method: 'GET' | 'PUT',
  bucket: string,
  key: string,
  expiresAtUnix: number,
): string {
  const path = escapePath(key);
  const stringToSign = `${method}\n\n\n${expiresAtUnix}\n/${bucket}/${path}`;
  const signature = createHmac('sha1', s.secretAccessKey).update(stringToSign, 'utf8').digest('base64');
  const query = `AWSAccessKeyId=${encodeURIComponent(s.accessKeyId)}&Signature=${encodeURIComponent(signature)}&Expires=${expiresAtUnix}`;
  if (s.endpointUrl || bucket.includes('.')) return `${resolvedEndpoint(s)}/${bucket}/${path}?${query}`;
  const host = !s.region || s.region === 'us-east-1' ? 's3.amazonaws.com' : `s3.${s.region}.amazonaws.com`;
  return `https://${bucket}.${host}/${path}?${query}`;
}
