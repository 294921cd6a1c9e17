import { Injectable } from '@nestjs/common';
import { Clock } from '../../config/clock';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import type { BlacklistReason } from '../persistence/miner-blacklist.entity';
import { MinerBlacklistRepository } from '../persistence/miner-blacklist.repository';

/** Writes miner blacklist rows (organic-jobs.md §6.9, §8.1) with the MINER_BLACKLISTED event. */
@Injectable()
export class BlacklistService {
  constructor(
    private readonly rows: MinerBlacklistRepository,
    private readonly clock: Clock,
    private readonly events: SystemEventsService,
  ) {}

  async blacklist(input: { minerHotkey: string; jobUuid: string; reason: BlacklistReason; seconds: number; details: string }): Promise<void> {
    const start = this.clock.nowDate();
    const end = new Date(start.getTime() + input.seconds * 1000);
    await this.rows.insert({ minerHotkey: input.minerHotkey, start, end, reason: input.reason, details: input.details });
    void this.events.record({
      type: 'MINER_ORGANIC_JOB_INFO', subtype: 'MINER_BLACKLISTED', description: `miner ${input.minerHotkey} blacklisted (${input.reason})`,
      data: { job_uuid: input.jobUuid, miner_hotkey: input.minerHotkey, reason: input.reason, start_ts: start.toISOString(), end_ts: end.toISOString() },
    });
  }

  /** True if the miner has any blacklist row, even expired (what debug-run-organic-job checks). */
  async hasAnyRow(minerHotkey: string): Promise<boolean> {
    return this.rows.hasAnyRow(minerHotkey);
  }
}
