import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { u8aToHex } from '@polkadot/util';
import { AppConfig } from '../config/app-config';
import { Clock } from '../config/clock';
import { ExclusiveRunner } from '../database/exclusive-runner.service';
import { ValidatorHotkey } from '../chain/validator-hotkey';
import { SystemEventsService } from '../observability/system-events/system-events.service';
import { serializeSystemEvent, statsSigningText } from './serialize-event';

const BATCH = 10_000;
const PERIOD_MS = 5 * 60_000;

export type UploadOutcome = { uploaded: number } | { skipped: string } | { failed: string };

/**
 * Uploads unsent system events to the stats collector (reference: send_events_to_facilitator),
 * signed with the validator hotkey. Rows are marked sent only on HTTP 201; anything else leaves
 * them for the next run.
 */
@Injectable()
export class StatsUploadService {
  private readonly logger = new Logger(StatsUploadService.name);

  constructor(
    private readonly events: SystemEventsService,
    private readonly config: AppConfig,
    private readonly hotkey: ValidatorHotkey,
    private readonly clock: Clock,
    private readonly exclusive: ExclusiveRunner,
  ) {}

  @Interval('stats-upload', PERIOD_MS)
  async scheduled(): Promise<void> {
    const outcome = await this.uploadOnce();
    if ('failed' in outcome) this.logger.error(`system events upload failed: ${outcome.failed}`);
  }

  async uploadOnce(): Promise<UploadOutcome> {
    const result = await this.exclusive.runExclusive('stats-upload', () => this.upload());
    return result.ran ? result.value : { skipped: result.reason };
  }

  private async upload(): Promise<UploadOutcome> {
    const rows = await this.events.unsent(BATCH);
    if (rows.length === 0) return { uploaded: 0 };
    const base = this.config.facilitator.STATS_COLLECTOR_URL;
    if (!base) return { skipped: 'STATS_COLLECTOR_URL is empty' };
    let pair;
    try {
      pair = this.hotkey.pair;
    } catch (e) {
      return { failed: (e as Error).message };
    }
    const signingTimestamp = Math.floor(this.clock.now() / 1000);
    const signature = u8aToHex(pair.sign(new TextEncoder().encode(statsSigningText(signingTimestamp, pair.address))));
    const url = `${base.endsWith('/') ? base : `${base}/`}validator/${pair.address}/system_events`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Validator-Signature': signature, 'Validator-Signing-Timestamp': String(signingTimestamp) },
        body: JSON.stringify(rows.map(serializeSystemEvent)),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status !== 201) return { failed: `stats collector answered HTTP ${res.status}` };
    } catch (e) {
      return { failed: `stats collector unreachable: ${(e as Error).message}` };
    }
    await this.events.markSent(rows.map((r) => r.id));
    return { uploaded: rows.length };
  }
}
