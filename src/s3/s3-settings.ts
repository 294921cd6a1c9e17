import type { AppConfig } from '../config/app-config';

export type SignatureVersion = 'v4' | 'v2';

/** Everything needed to sign URLs for and reach the two buckets. Secrets: never log this object. */
export interface S3Settings {
  accessKeyId: string;
  secretAccessKey: string;
  /** Explicit region, or undefined (then AWS's global endpoint / us-east-1 signing scope). */
  region: string | undefined;
  /** Custom S3-compatible endpoint without trailing slash, or undefined for AWS. */
  endpointUrl: string | undefined;
  signatureVersion: SignatureVersion;
  bucketPrompts: string;
  bucketAnswers: string;
}

/** Values a caller (the check-s3-setup flags) may put over the environment's. */
export interface S3SettingsOverrides {
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  endpointUrl?: string;
  signatureVersion?: string;
  bucketPrompts?: string;
  bucketAnswers?: string;
}

export class S3SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'S3SettingsError';
  }
}

/**
 * AWS_SIGNATURE_VERSION as botocore names it: '' (SDK default) / 's3v4' / 'v4' => SigV4, 's3' => SigV2
 * query signing. Anything else is refused with the accepted values.
 */
export function parseSignatureVersion(raw: string | undefined): SignatureVersion {
  const v = (raw ?? '').trim();
  if (v === '' || v === 's3v4' || v === 'v4') return 'v4';
  if (v === 's3') return 'v2';
  throw new S3SettingsError(`AWS_SIGNATURE_VERSION=${JSON.stringify(v)} is not supported: use s3v4 (or leave it empty), or s3 for legacy SigV2 URLs`);
}

/**
 * The region the SDK would use: botocore reads AWS_DEFAULT_REGION; the JS SDK reads AWS_REGION.
 * We honour both (AWS_DEFAULT_REGION first, as the reference's documentation tells operators to set it).
 */
export function regionFromEnvironment(s3: { AWS_DEFAULT_REGION: string; AWS_REGION: string }): string | undefined {
  return s3.AWS_DEFAULT_REGION || s3.AWS_REGION || undefined;
}

export function s3SettingsFromConfig(config: AppConfig, overrides: S3SettingsOverrides = {}): S3Settings {
  const s3 = config.s3;
  const pick = (o: string | undefined, env: string): string => (o !== undefined ? o.trim() : env);
  const endpoint = pick(overrides.endpointUrl, s3.AWS_ENDPOINT_URL);
  const region = overrides.region !== undefined ? overrides.region.trim() || undefined : regionFromEnvironment(s3);
  return {
    accessKeyId: pick(overrides.accessKeyId, s3.AWS_ACCESS_KEY_ID),
    secretAccessKey: pick(overrides.secretAccessKey, s3.AWS_SECRET_ACCESS_KEY),
    region,
    endpointUrl: endpoint ? endpoint.replace(/\/+$/, '') : undefined,
    signatureVersion: parseSignatureVersion(pick(overrides.signatureVersion, s3.AWS_SIGNATURE_VERSION)),
    bucketPrompts: pick(overrides.bucketPrompts, s3.S3_BUCKET_NAME_PROMPTS),
    bucketAnswers: pick(overrides.bucketAnswers, s3.S3_BUCKET_NAME_ANSWERS),
  };
}

export function hasCredentials(s: Pick<S3Settings, 'accessKeyId' | 'secretAccessKey'>): boolean {
  return s.accessKeyId !== '' && s.secretAccessKey !== '';
}
