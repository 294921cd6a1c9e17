import { Global, Module } from '@nestjs/common';
import { DynamicConfigService } from './dynamic-config.service';
import { DynamicConfigFetcher } from './remote/dynamic-config-fetcher.service';
import { DynamicConfigFetchSchedule } from './remote/dynamic-config-fetch.schedule';

/** DynamicConfigService for every module; the remote fetch (scheduled in the daemon only). */
@Global()
@Module({
  providers: [DynamicConfigService, DynamicConfigFetcher, DynamicConfigFetchSchedule],
  exports: [DynamicConfigService, DynamicConfigFetcher],
})
export class DynamicConfigModule {}
