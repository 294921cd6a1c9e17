import { Global, Module } from '@nestjs/common';
import { DynamicConfigService } from './dynamic-config.service';
import { DynamicConfigFetchStatus } from './dynamic-config-fetch-status';

@Global()
@Module({ providers: [DynamicConfigService, DynamicConfigFetchStatus], exports: [DynamicConfigService, DynamicConfigFetchStatus] })
export class DynamicConfigModule {}
