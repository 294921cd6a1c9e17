import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client } from './s3-client.factory';
import { hasCredentials, S3Settings, S3SettingsError } from './s3-settings';
import { presignV2, PRESIGNED_URL_EXPIRY_SECONDS, publicUrl } from './s3-urls';

export class MissingS3CredentialsError extends S3SettingsError {
  constructor() {
    super('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set to sign S3 URLs');
    this.name = 'MissingS3CredentialsError';
  }
}

/** Signs URLs for one set of S3 settings (the daemon's, or check-s3-setup's flags). */
export class S3Presigner {
  private client: S3Client | undefined;

  constructor(
    readonly settings: S3Settings,
    private readonly now: () => number = Date.now,
  ) {}

  async uploadUrl(bucket: string, key: string, prefix = ''): Promise<string> {
    return this.sign('PUT', bucket, prefix + key);
  }

  async downloadUrl(bucket: string, key: string, prefix = ''): Promise<string> {
    return this.sign('GET', bucket, prefix + key);
  }

  publicUrl(bucket: string, key: string, prefix = ''): string {
    return publicUrl(this.settings, bucket, key, prefix);
  }

  private async sign(method: 'GET' | 'PUT', bucket: string, key: string): Promise<string> {
    if (!hasCredentials(this.settings)) throw new MissingS3CredentialsError();
    if (!bucket) throw new S3SettingsError('no bucket name configured (S3_BUCKET_NAME_PROMPTS / S3_BUCKET_NAME_ANSWERS)');
    if (this.settings.signatureVersion === 'v2') {
      const expires = Math.floor(this.now() / 1000) + PRESIGNED_URL_EXPIRY_SECONDS;
      return presignV2(this.settings, method, bucket, key, expires);
    }
    this.client ??= createS3Client(this.settings);
    const command = method === 'PUT' ? new PutObjectCommand({ Bucket: bucket, Key: key }) : new GetObjectCommand({ Bucket: bucket, Key: key });
    return getSignedUrl(this.client, command, { expiresIn: PRESIGNED_URL_EXPIRY_SECONDS, signingDate: new Date(this.now()) });
  }

  destroy(): void {
    this.client?.destroy();
  }
}
