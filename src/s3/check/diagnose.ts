/**
 * Turns what S3 answered during check-s3-setup into a diagnosis an operator can act on.
 * Pure: no I/O; the texts keep the reference's wording where the reference has one.
 */

export type BucketRole = 'prompts' | 'answers';

export const BUCKET_VARIABLE: Record<BucketRole, string> = {
  prompts: 'S3_BUCKET_NAME_PROMPTS',
  answers: 'S3_BUCKET_NAME_ANSWERS',
};

export const MISSING_CREDENTIALS_MESSAGE = [
  'You did not provide credentials.',
  'Please provide AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in .env file.',
  'For testing, you can also provide your credentials to this command with --aws-access-key-id and --aws-secret-access-key flags.',
];

const REGION_RE = /the region '([a-z]+-[a-z]+-[0-9]+)' is wrong; expecting '([a-z]+-[a-z]+-[0-9]+)'/;

export interface HttpAnswer {
  status: number;
  body: string;
  /** x-amz-bucket-region response header, when S3 sent one. */
  bucketRegion?: string;
}

export interface RegionEnvironment {
  AWS_REGION?: string;
  AWS_DEFAULT_REGION?: string;
}

function s3Code(body: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}

function s3Message(body: string): string | undefined {
  return /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
}

/** The reference's warning about region variables, plus the fix spelled out. */
export function regionEnvironmentWarning(env: RegionEnvironment, expected?: string): string[] {
  const lines: string[] = [];
  if (env.AWS_REGION || env.AWS_DEFAULT_REGION) {
    lines.push('Possible issues with environment variables:');
    if (env.AWS_REGION) lines.push(`You have environment variable AWS_REGION=${env.AWS_REGION}`);
    if (env.AWS_DEFAULT_REGION) lines.push(`You have environment variable AWS_DEFAULT_REGION=${env.AWS_DEFAULT_REGION}`);
  } else {
    lines.push('');
  }
  lines.push(
    expected
      ? `Set AWS_DEFAULT_REGION=${expected} in .env (or pass --aws-region-name ${expected}) and run this check again.`
      : 'Set AWS_DEFAULT_REGION to the region of your buckets in .env (or pass --aws-region-name) and run this check again.',
  );
  return lines;
}

function regionDiagnosis(bucket: string, wrong: string | undefined, expected: string | undefined, env: RegionEnvironment): string[] {
  const lines = ['Your bucket requests are being routed to a invalid AWS region.'];
  if (expected && wrong) lines.push(`Your bucket '${bucket}' is in region '${expected}', but it is configured as '${wrong}'`);
  else if (expected) lines.push(`Your bucket '${bucket}' is in region '${expected}'`);
  return [...lines, ...regionEnvironmentWarning(env, expected)];
}

/** Diagnosis of a failed presigned upload (the reference's step 3, with finer 403/404 cases). */
export function diagnoseUploadFailure(role: BucketRole, bucket: string, answer: HttpAnswer, env: RegionEnvironment): string[] {
  const region = REGION_RE.exec(answer.body);
  if (region) return regionDiagnosis(bucket, region[1], region[2], env);
  const code = s3Code(answer.body);
  if (answer.status === 301 || code === 'PermanentRedirect') return regionDiagnosis(bucket, undefined, answer.bucketRegion, env);
  if (code === 'SignatureDoesNotMatch') {
    return [
      `S3 rejected the signature of the upload to '${bucket}' (SignatureDoesNotMatch): the secret access key does not belong to the access key id.`,
      'Check AWS_SECRET_ACCESS_KEY (or --aws-secret-access-key).',
    ];
  }
  if (code === 'InvalidAccessKeyId') {
    return [`S3 does not know the access key id used for '${bucket}' (InvalidAccessKeyId).`, 'Check AWS_ACCESS_KEY_ID (or --aws-access-key-id) and that the key is active.'];
  }
  if (answer.status === 403) {
    return [
      `Your configured credentials does not have permissions to write to this bucket: ${bucket}`,
      `The user of AWS_ACCESS_KEY_ID needs s3:PutObject and s3:GetObject on ${bucket}${code ? ` (S3 answered ${code})` : ''}.`,
    ];
  }
  if (code === 'NoSuchBucket' || answer.status === 404) {
    return [
      `The bucket '${bucket}' does not exist${code ? ` (${code})` : ''}.`,
      `Create it (validator/provision_s3.sh does) or correct ${BUCKET_VARIABLE[role]} (or --s3-bucket-name-${role}).`,
    ];
  }
  const msg = s3Message(answer.body);
  return [
    `Failed to write to the bucket ${bucket} with the following error:`,
    `HTTP ${answer.status}${code ? ` ${code}` : ''}${msg ? `: ${msg}` : ''}`,
    'Please check if the buckets you have configured exist and are accessible with the configured credentials.',
  ];
}

/** Diagnosis of a failed anonymous GET of the public URL. */
export function diagnoseDownloadFailure(role: BucketRole, bucket: string, publicUrl: string, answer: HttpAnswer, env: RegionEnvironment): string[] {
  const region = REGION_RE.exec(answer.body);
  if (region) return regionDiagnosis(bucket, region[1], region[2], env);
  if (answer.status === 301 || s3Code(answer.body) === 'PermanentRedirect') return regionDiagnosis(bucket, undefined, answer.bucketRegion, env);
  const code = s3Code(answer.body);
  if (answer.status === 403 || answer.status === 400) {
    return [
      `The upload worked, but the public URL ${publicUrl} cannot be read anonymously (HTTP ${answer.status}${code ? ` ${code}` : ''}).`,
      `Miners download prompts and the validator downloads answers without signatures: give ${bucket} a bucket policy allowing s3:GetObject to Principal "*" (validator/provision_s3.sh sets it), and allow public bucket policies.`,
    ];
  }
  if (answer.status === 404) {
    return [
      `The upload worked, but the public URL ${publicUrl} answered 404${code ? ` (${code})` : ''}.`,
      'Public URLs are built as <AWS_ENDPOINT_URL or the regional AWS endpoint>/<bucket>/<key>: check AWS_ENDPOINT_URL and AWS_DEFAULT_REGION.',
    ];
  }
  return [`Downloading ${publicUrl} failed with HTTP ${answer.status}${code ? ` ${code}` : ''}.`, `Check that ${BUCKET_VARIABLE[role]} and AWS_ENDPOINT_URL are right.`];
}

export function diagnoseUnreachable(endpoint: string, reason: string): string[] {
  return [
    `Could not reach the S3 endpoint ${endpoint}: ${reason}.`,
    'Check AWS_ENDPOINT_URL (or --aws-endpoint-url), that the server is running, and that this machine can connect to it.',
  ];
}
