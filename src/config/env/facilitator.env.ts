import { IsInt, Max, Min } from 'class-validator';
import { EnvInt, EnvList, EnvString, Satisfies, isUrlOrEmpty } from './parsers';

/** `hotkey:ip:port` (the ip may be an IPv6 address; the port is what follows the last colon). */
function isReceiptSources(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && /^[^:\s]+:[^\s]+:\d{1,5}$/.test(v) && Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535);
}

export class FacilitatorEnv {
  /** Empty: no facilitator connection (organic jobs off). */
  @EnvString() @Satisfies('wsUrl', (v) => isUrlOrEmpty(v, ['ws', 'wss']), 'expected a ws:// or wss:// URL (or empty)')
  FACILITATOR_URI: string = 'wss://facilitator.computehorde.io/ws/v0/';
  /** System-event upload base; empty disables uploads. */
  @EnvString() @Satisfies('httpUrl', (v) => isUrlOrEmpty(v, ['http', 'https']), 'expected an http(s):// URL (or empty)')
  STATS_COLLECTOR_URL: string = 'https://stats-collector.computehorde.io/stats_collector/v0/';
  /** On SIGTERM: seconds running organic jobs may still finish before they are ended `horde_failed` (ours). */
  @EnvInt() @IsInt({ message: 'expected an integer number of seconds 0-3600' }) @Min(0, { message: 'expected an integer number of seconds 0-3600' }) @Max(3600, { message: 'expected an integer number of seconds 0-3600' })
  ORGANIC_JOB_SHUTDOWN_GRACE_SECONDS: number = 20;
  /** URL GET-requested after each successful facilitator authentication. */
  @EnvString() @Satisfies('httpUrl', (v) => isUrlOrEmpty(v, ['http', 'https']), 'expected an http(s):// URL (or empty)')
  DEBUG_CONNECT_FACILITATOR_WEBHOOK: string = '';
  /** `hotkey:ip:port,...`: pull receipts from these miners instead of the metagraph. */
  @EnvList() @Satisfies('receiptSources', isReceiptSources, 'expected hotkey:ip:port,hotkey:ip:port,...')
  DEBUG_FETCH_RECEIPTS_FROM_MINERS: string[] = [];
}
