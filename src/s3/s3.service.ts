import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../config/clock';
import { S3Presigner } from './s3-presigner';
import { hasCredentials, S3Settings, s3SettingsFromConfig } from './s3-settings';
import { downloadFileContent, downloadPromptsFromS3Url, RetryOptions, uploadPromptsToS3Url } from './s3-http';

/**
 * The validator's S3 access (settings from the environment): presigned PUT/GET URLs (3600 s), public
 * URLs, and the plain HTTP helpers the LLM pipeline uses. Settings are read lazily so a bad
 * AWS_SIGNATURE_VERSION only fails the code that needs S3, with a clear message.
 */
@Injectable()
export class S3Service implements OnModuleDestroy {
  private presigner: S3Presigner | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get settings(): S3Settings {
    return this.signer().settings;
  }

  get promptsBucket(): string {
    return this.settings.bucketPrompts;
  }

  get answersBucket(): string {
    return this.settings.bucketAnswers;
  }

  /** Credentials and both bucket names are set. */
  isConfigured(): boolean {
    const s = this.settings;
    return hasCredentials(s) && s.bucketPrompts !== '' && s.bucketAnswers !== '';
  }

  uploadUrl(bucket: string, key: string, prefix = ''): Promise<string> {
    return this.signer().uploadUrl(bucket, key, prefix);
  }

  downloadUrl(bucket: string, key: string, prefix = ''): Promise<string> {
    return this.signer().downloadUrl(bucket, key, prefix);
  }

  publicUrl(bucket: string, key: string, prefix = ''): string {
    return this.signer().publicUrl(bucket, key, prefix);
  }

  uploadText(url: string, text: string, opts?: RetryOptions): Promise<void> {
    return uploadPromptsToS3Url(url, text, opts);
  }

  downloadLines(url: string, opts?: RetryOptions): Promise<string[]> {
    return downloadPromptsFromS3Url(url, opts);
  }

  downloadBytes(url: string, timeoutMs?: number): Promise<Buffer> {
    return downloadFileContent(url, timeoutMs);
  }

  onModuleDestroy(): void {
    this.presigner?.destroy();
  }

  private signer(): S3Presigner {
    this.presigner ??= new S3Presigner(s3SettingsFromConfig(this.config), () => this.clock.now());
    return this.presigner;
  }
}
