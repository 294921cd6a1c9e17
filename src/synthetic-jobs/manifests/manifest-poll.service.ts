import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../../config/clock';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { askMiner } from '../../miners/connection';
import type { BatchMiner } from '../batch/batch-engine';
import { SyntheticMinersService } from '../participants/synthetic-miners.service';
import { MinerManifestRepository } from '../persistence/miner-manifest.repository';

export const MANIFEST_POLL_PERIOD_MS = 5 * 60_000;
const TICK_MS = 15_000;
const PER_MINER_TIMEOUT_MS = 30_000;

export interface ManifestPollResult {
  miners: number;
  manifests: number;
  failures: { hotkey: string; reason: string }[];
}

/**
 * `poll_miner_manifests`: asks every serving miner for its executor manifest and stores it as a
 * `miner_manifest` row without a batch, which organic routing reads (only these rows: per-batch rows
 * count what a batch tested). A miner that does not answer gets its newest classes again with 0
 * online executors (as the reference). Reference period: 5 minutes.
 * Deviation: it also polls on the next 15-s tick whenever a serving miner has no manifest row yet
 * (a fresh start, a newly registered miner), so routing does not wait 5 minutes for its first data.
 */
@Injectable()
export class ManifestPollService {
  private readonly logger = new Logger('ManifestPoll');
  private lastPollAt = -Infinity;

  constructor(
    private readonly manifests: MinerManifestRepository,
    private readonly miners: SyntheticMinersService,
    private readonly hotkey: ValidatorHotkey,
    private readonly clock: Clock,
    private readonly exclusive: ExclusiveRunner,
  ) {}

  @Interval('poll_miner_manifests', TICK_MS)
  async tick(): Promise<void> {
    try {
      const due = this.clock.now() - this.lastPollAt >= MANIFEST_POLL_PERIOD_MS || (await this.someMinerLacksManifest());
      if (!due) return;
      const result = await this.exclusive.runExclusive('poll_miner_manifests', () => this.pollOnce());
      if (result.ran) {
        this.logger.log({ miners: result.value.miners, manifests: result.value.manifests, failures: result.value.failures.length }, 'miner manifests polled');
      }
    } catch (e) {
      this.logger.error({ err: e }, 'manifest poll failed');
    }
  }

  async pollOnce(): Promise<ManifestPollResult> {
    this.lastPollAt = this.clock.now();
    const miners = await this.miners.servingMiners();
    const results = await Promise.all(miners.map((m) => this.pollMiner(m)));
    const rows = results.flatMap((r, i) => (r.ok ? Object.entries(r.manifest).map(([cls, n]) => ({ minerId: miners[i].id, cls, n })) : []));
    await this.manifests.insertPolled(rows);
    const silent = results.flatMap((r, i) => (r.ok ? [] : [miners[i].id]));
    // As the reference: a miner that did not answer keeps the classes of its newest poll with no
    // executor online, so routing stops sending it jobs until it answers again.
    await this.manifests.repeatNewestOffline(silent);
    const failures = results.flatMap((r, i) => (r.ok ? [] : [{ hotkey: miners[i].hotkey, reason: r.reason }]));
    return { miners: miners.length, manifests: results.filter((r) => r.ok).length, failures };
  }

  private async pollMiner(miner: BatchMiner): Promise<{ ok: true; manifest: Record<string, number> } | { ok: false; reason: string }> {
    return askMiner(
      miner,
      { validatorHotkey: this.hotkey, clock: this.clock, timeoutMs: PER_MINER_TIMEOUT_MS },
      async (conn) => {
        const got = await conn.waitFor('V0ExecutorManifestRequest', { timeoutMs: PER_MINER_TIMEOUT_MS, interrupt: [] });
        if (!got.ok) return { ok: false as const, reason: got.failure.reason };
        const manifest: Record<string, number> = {};
        for (const [cls, n] of Object.entries(got.message.manifest)) if (typeof n === 'number' && n >= 0) manifest[cls] = n;
        return { ok: true as const, manifest };
      },
      (failure) => ({ ok: false as const, reason: failure.reason }),
    );
  }

  private someMinerLacksManifest(): Promise<boolean> {
    return this.manifests.someServingMinerLacksManifest();
  }
}
