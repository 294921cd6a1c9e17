import { Global, Module } from '@nestjs/common';
import { DynamicConfigService } from './dynamic-config.service';
import { DynamicConfigFetchStatus } from './dynamic-config-fetch-status';
import { DynamicConfigFetcher } from './remote/dynamic-config-fetcher.service';
import { DynamicConfigFetchSchedule } from './remote/dynamic-config-fetch.schedule';

/** DynamicConfigService for every module; the remote fetch (scheduled in the daemon only). */
@Global()
@Module({
  providers: [DynamicConfigService, DynamicConfigFetcher, DynamicConfigFetchSchedule, DynamicConfigFetchStatus],
  exports: [DynamicConfigService, DynamicConfigFetcher, DynamicConfigFetchStatus],
})
export class DynamicConfigModule {}
