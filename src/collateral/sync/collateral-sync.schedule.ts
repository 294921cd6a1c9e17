import { Injectable, Logger } from '@nestjs/common';
import { Interval, Timeout } from '@nestjs/schedule';
import { CollateralSyncService } from './collateral-sync.service';
import { CollateralSlashingService } from '../slashing/collateral-slashing.service';

/** Every 5 minutes (the reference's `sync_collaterals` beat); only fires in the daemon. */
export const COLLATERAL_SYNC_INTERVAL_MS = 5 * 60 * 1000;
/** First run shortly after start, so a fresh validator does not route on stale amounts for 5 minutes. */
export const COLLATERAL_SYNC_FIRST_RUN_MS = 30 * 1000;

@Injectable()
export class CollateralSyncSchedule {
  private readonly logger = new Logger(CollateralSyncSchedule.name);

  constructor(
    private readonly sync: CollateralSyncService,
    private readonly slashing: CollateralSlashingService,
  ) {}

  @Timeout('collateral-sync-first', COLLATERAL_SYNC_FIRST_RUN_MS)
  async first(): Promise<void> {
    await this.tick();
  }

  @Interval('collateral-sync', COLLATERAL_SYNC_INTERVAL_MS)
  async tick(): Promise<void> {
    try {
      await this.sync.sync();
      await this.slashing.resumeUnfinished();
    } catch (e) {
      this.logger.error({ err: e }, 'collateral sync run failed');
    }
  }
}
