import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { MinerRegistryService } from './miner-registry.service';

/** Reference period of sync_miners. */
export const METAGRAPH_SYNC_PERIOD_MS = 10_000;
/** While the chain is unreachable, repeat the warning at most this often. */
const WARN_EVERY_MS = 60_000;

/** Daemon-only: keeps the miner table in step with the metagraph. */
@Injectable()
export class MetagraphSyncJob {
  private readonly logger = new Logger('MetagraphSync');
  private failingSince: number | undefined;
  private lastWarning = 0;

  constructor(private readonly registry: MinerRegistryService) {}

  @Interval('metagraph-sync', METAGRAPH_SYNC_PERIOD_MS)
  async tick(): Promise<void> {
    try {
      const outcome = await this.registry.syncMetagraph();
      if (this.failingSince !== undefined && outcome.ran) {
        this.logger.log(`metagraph sync works again (block ${outcome.result.block}, ${outcome.result.neurons} neurons)`);
        this.failingSince = undefined;
      }
    } catch (e) {
      const now = Date.now();
      this.failingSince ??= now;
      if (now - this.lastWarning >= WARN_EVERY_MS) {
        this.lastWarning = now;
        this.logger.warn(`metagraph sync failed: ${e instanceof Error ? e.message : String(e)}; the miner table keeps its last state`);
      }
    }
  }
}
