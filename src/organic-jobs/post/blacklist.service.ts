import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../config/clock';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import type { BlacklistReason } from '../persistence/miner-blacklist.entity';

/** Writes miner blacklist rows (organic-jobs.md §6.9, §8.1) with the MINER_BLACKLISTED event. */
@Injectable()
export class BlacklistService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly events: SystemEventsService,
  ) {}

  async blacklist(input: { minerHotkey: string; jobUuid: string; reason: BlacklistReason; seconds: number; details: string }): Promise<void> {
    const start = this.clock.nowDate();
    const end = new Date(start.getTime() + input.seconds * 1000);
    await this.dataSource.query(
      `INSERT INTO miner_blacklist (miner_id, blacklisted_at, expires_at, reason, reason_details)
       SELECT id, $2, $3, $4, $5 FROM miner WHERE hotkey = $1`,
      [input.minerHotkey, start.toISOString(), end.toISOString(), input.reason, input.details]);
    void this.events.record({
      type: 'MINER_ORGANIC_JOB_INFO', subtype: 'MINER_BLACKLISTED', description: `miner ${input.minerHotkey} blacklisted (${input.reason})`,
      data: { job_uuid: input.jobUuid, miner_hotkey: input.minerHotkey, reason: input.reason, start_ts: start.toISOString(), end_ts: end.toISOString() },
    });
  }

  /** True if the miner has any blacklist row, even expired (what debug-run-organic-job checks). */
  async hasAnyRow(minerHotkey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM miner_blacklist b JOIN miner m ON m.id = b.miner_id WHERE m.hotkey = $1 LIMIT 1`, [minerHotkey]);
    return rows.length > 0;
  }
}
