import { IsIn, IsString } from 'class-validator';
import { EnvString, Satisfies, isUrlOrEmpty } from './parsers';

export class S3Env {
  @EnvString() @IsString() AWS_ACCESS_KEY_ID: string = '';
  @EnvString() @IsString() AWS_SECRET_ACCESS_KEY: string = '';
  @EnvString() @Satisfies('httpUrl', (v) => isUrlOrEmpty(v, ['http', 'https']), 'expected an http(s):// URL (or empty for AWS)') AWS_ENDPOINT_URL: string = '';
  /** s3v4 (default) or s3 (legacy SigV2 query signing, which our own presigner does: the AWS SDK v3 has none). */
  @EnvString() @IsIn(['', 's3v4', 's3', 'v4'], { message: 'expected s3v4 (or empty)' }) AWS_SIGNATURE_VERSION: string = '';
  @EnvString() @IsString() AWS_DEFAULT_REGION: string = '';
  @EnvString() @IsString() AWS_REGION: string = '';
  @EnvString() @IsString() S3_BUCKET_NAME_PROMPTS: string = '';
  @EnvString() @IsString() S3_BUCKET_NAME_ANSWERS: string = '';
}
