import { Injectable } from '@nestjs/common';
import { Interval, Timeout } from '@nestjs/schedule';
import { DynamicConfigFetcher } from './dynamic-config-fetcher.service';

/** Every 5 minutes (the reference's `fetch_dynamic_config` beat); only fires in the daemon. */
export const DYNAMIC_CONFIG_FETCH_INTERVAL_MS = 5 * 60 * 1000;
/** First run soon after start, so a fresh validator follows the subnet owner before its first weights. */
export const DYNAMIC_CONFIG_FIRST_FETCH_MS = 10 * 1000;

@Injectable()
export class DynamicConfigFetchSchedule {
  constructor(private readonly fetcher: DynamicConfigFetcher) {}

  @Timeout('fetch_dynamic_config_first', DYNAMIC_CONFIG_FIRST_FETCH_MS)
  async first(): Promise<void> {
    await this.fetcher.fetchAndApply();
  }

  @Interval('fetch_dynamic_config', DYNAMIC_CONFIG_FETCH_INTERVAL_MS)
  async tick(): Promise<void> {
    await this.fetcher.fetchAndApply();
  }
}
