import { IsInt, IsString, Max, Min } from 'class-validator';
import { EnvInt, EnvList, EnvString } from './parsers';

export class FacilitatorEnv {
  @EnvString() @IsString() FACILITATOR_URI: string = 'wss://facilitator.computehorde.io/ws/v0/';
  /** System-event upload base; empty disables uploads. */
  @EnvString() @IsString() STATS_COLLECTOR_URL: string = 'https://stats-collector.computehorde.io/stats_collector/v0/';
  /** On SIGTERM: seconds running organic jobs may still finish before they are ended `horde_failed` (ours). */
  @EnvInt() @IsInt({ message: 'expected an integer number of seconds 0-3600' }) @Min(0, { message: 'expected an integer number of seconds 0-3600' }) @Max(3600, { message: 'expected an integer number of seconds 0-3600' })
  ORGANIC_JOB_SHUTDOWN_GRACE_SECONDS: number = 20;
  /** URL GET-requested after each successful facilitator authentication. */
  @EnvString() @IsString() DEBUG_CONNECT_FACILITATOR_WEBHOOK: string = '';
  /** `hotkey:ip:port,...`: pull receipts from these miners instead of the metagraph. */
  @EnvList() DEBUG_FETCH_RECEIPTS_FROM_MINERS: string[] = [];
}
