import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { CollateralSyncService } from './collateral-sync.service';
import { CollateralSlashingService } from '../slashing/collateral-slashing.service';

/** Every 5 minutes (the reference's `sync_collaterals` beat); only fires in the daemon. */
export const COLLATERAL_SYNC_INTERVAL_MS = 5 * 60 * 1000;

@Injectable()
export class CollateralSyncSchedule {
  private readonly logger = new Logger(CollateralSyncSchedule.name);

  constructor(
    private readonly sync: CollateralSyncService,
    private readonly slashing: CollateralSlashingService,
  ) {}

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
