import { Module } from '@nestjs/common';
import { ChainModule } from '../../chain/chain.module';
import { S3Module } from '../../s3/s3.module';
import { LlmPipelineSchedule } from './llm-pipeline.schedule';
import { LlmPipelineService } from './llm-pipeline.service';
import { LlmSamplesService } from './llm-samples.service';
import { TrustedMinerClient } from './trusted-miner.client';
import { PromptSamplesRepository } from './persistence/prompt-samples.repository';
import { PromptPipelineRepository } from './persistence/prompt-pipeline.repository';

/** TrustedMinerModule: the LLM cross-validation pipeline; see README.md for its public interface. */
@Module({
  imports: [S3Module, ChainModule],
  providers: [PromptSamplesRepository, PromptPipelineRepository, LlmSamplesService, LlmPipelineService, TrustedMinerClient, LlmPipelineSchedule],
  exports: [LlmSamplesService, LlmPipelineService, TrustedMinerClient],
})
export class TrustedMinerModule {}
