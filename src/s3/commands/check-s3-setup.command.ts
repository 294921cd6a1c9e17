import { Command, CommandRunner, Option } from 'nest-commander';
import { AppConfig } from '../../config/app-config';
import { checkS3Setup } from '../check/check-s3-setup';
import { s3SettingsFromConfig, S3SettingsError, S3SettingsOverrides } from '../s3-settings';

interface Flags {
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
  awsRegionName?: string;
  awsEndpointUrl?: string;
  s3BucketNamePrompts?: string;
  s3BucketNameAnswers?: string;
  awsSignatureVersion?: string;
}

/** validator-cli check-s3-setup: the reference's check_s3_setup, exit 1 on any failure. */
@Command({ name: 'check-s3-setup', description: 'check that both S3 buckets accept presigned uploads and serve public downloads' })
export class CheckS3SetupCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(_args: string[], flags: Flags): Promise<void> {
    const overrides: S3SettingsOverrides = {
      accessKeyId: flags.awsAccessKeyId,
      secretAccessKey: flags.awsSecretAccessKey,
      region: flags.awsRegionName,
      endpointUrl: flags.awsEndpointUrl,
      signatureVersion: flags.awsSignatureVersion,
      bucketPrompts: flags.s3BucketNamePrompts,
      bucketAnswers: flags.s3BucketNameAnswers,
    };
    let ok = false;
    try {
      const settings = s3SettingsFromConfig(this.config, overrides);
      ok = await checkS3Setup(
        settings,
        { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
        { regionEnv: { AWS_REGION: this.config.s3.AWS_REGION, AWS_DEFAULT_REGION: this.config.s3.AWS_DEFAULT_REGION } },
      );
    } catch (e) {
      if (!(e instanceof S3SettingsError)) throw e;
      process.stderr.write(`${e.message}\n`);
    }
    process.exitCode = ok ? 0 : 1;
  }

  @Option({ flags: '--aws-access-key-id <value>', description: 'Override the value of AWS_ACCESS_KEY_ID from .env' })
  parseAccessKey(v: string): string {
    return v;
  }
  @Option({ flags: '--aws-secret-access-key <value>', description: 'Override the value of AWS_SECRET_ACCESS_KEY from .env' })
  parseSecret(v: string): string {
    return v;
  }
  @Option({ flags: '--aws-region-name <value>', description: 'Override the value of AWS region (by default read from environment variable AWS_DEFAULT_REGION)' })
  parseRegion(v: string): string {
    return v;
  }
  @Option({ flags: '--aws-endpoint-url <value>', description: 'Override the value of AWS_ENDPOINT_URL from .env' })
  parseEndpoint(v: string): string {
    return v;
  }
  @Option({ flags: '--s3-bucket-name-prompts <value>', description: 'Override the value of S3_BUCKET_NAME_PROMPTS from .env' })
  parsePrompts(v: string): string {
    return v;
  }
  @Option({ flags: '--s3-bucket-name-answers <value>', description: 'Override the value of S3_BUCKET_NAME_ANSWERS from .env' })
  parseAnswers(v: string): string {
    return v;
  }
  @Option({ flags: '--aws-signature-version <value>', description: 'Override the value of AWS_SIGNATURE_VERSION from .env' })
  parseSignature(v: string): string {
    return v;
  }
}
