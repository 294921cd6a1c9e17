import { IsString } from 'class-validator';
import { EnvList, EnvString } from './parsers';

export class FacilitatorEnv {
  @EnvString() @IsString() FACILITATOR_URI: string = 'wss://facilitator.computehorde.io/ws/v0/';
  /** System-event upload base; empty disables uploads. */
  @EnvString() @IsString() STATS_COLLECTOR_URL: string = 'https://stats-collector.computehorde.io/stats_collector/v0/';
  /** URL GET-requested after each successful facilitator authentication. */
  @EnvString() @IsString() DEBUG_CONNECT_FACILITATOR_WEBHOOK: string = '';
  /** `hotkey:ip:port,...`: pull receipts from these miners instead of the metagraph. */
  @EnvList() DEBUG_FETCH_RECEIPTS_FROM_MINERS: string[] = [];
}
