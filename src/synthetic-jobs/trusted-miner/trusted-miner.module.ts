import { Module } from '@nestjs/common';
import { S3Module } from '../../s3/s3.module';
import { LlmSamplesService } from './llm-samples.service';

/** TrustedMinerModule: the LLM cross-validation pipeline; see README.md for its public interface. */
@Module({
  imports: [S3Module],
  providers: [LlmSamplesService],
  exports: [LlmSamplesService],
})
export class TrustedMinerModule {}
