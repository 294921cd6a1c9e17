import { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from './s3-settings';

/**
 * One S3 client per settings. Checksums only when an operation requires them: since SDK 3.729 the
 * default puts the CRC32 of an empty body into presigned PUT URLs, which AWS, MinIO and R2 then reject
 * for any real upload (test-peers.md, "Client settings for every S3 peer").
 */
export function createS3Client(s: S3Settings): S3Client {
  // The SDK is pinned (package-lock) to a release that supports Node 20; its warning about later
  // releases would only clutter the CLI's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: s.region ?? 'us-east-1',
    endpoint: s.endpointUrl,
    forcePathStyle: s.endpointUrl !== undefined,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
