import { Injectable, Logger } from '@nestjs/common';
import { ChainService } from '../../chain/chain.service';
import type { Metagraph } from '../../chain/client/metagraph';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { Miner } from './miner.entity';
import { MinerRepository } from './miner.repository';
import { selectValidators, ValidatorRule } from './validators';

export interface MetagraphSyncResult {
  block: number;
  blockHash: string;
  neurons: number;
  newNeurons: number;
  updatedNeurons: number;
  leftMetagraph: number;
}

export type SyncOutcome = { ran: true; result: MetagraphSyncResult } | { ran: false; reason: string };

/** Exclusive-work name of the sync (one runner across processes). */
export const METAGRAPH_SYNC_LOCK = 'metagraph-sync';

/**
 * The `miner` table as the rest of the validator sees it: every neuron ever seen on the subnet,
 * kept in step with the metagraph by `syncMetagraph` (periodic in the daemon, `sync-metagraph`
 * in the CLI).
 */
@Injectable()
export class MinerRegistryService {
  private readonly logger = new Logger('MinerRegistry');

  constructor(
    private readonly rows: MinerRepository,
    private readonly chain: ChainService,
    private readonly runner: ExclusiveRunner,
    private readonly events: SystemEventsService,
  ) {}

  /** Miners to talk to: in the metagraph now, with an axon address and port. Ordered by uid. */
  async listServing(): Promise<Miner[]> {
    return this.rows.serving();
  }

  /** Every neuron currently in the metagraph, ordered by uid. */
  async listInMetagraph(): Promise<Miner[]> {
    return this.rows.inMetagraph();
  }

  /** All rows, including neurons that left the metagraph (they are never deleted). */
  async listAll(): Promise<Miner[]> {
    return this.rows.all();
  }

  async findByHotkey(hotkey: string): Promise<Miner | null> {
    return this.rows.byHotkey(hotkey);
  }

  async findByHotkeys(hotkeys: string[]): Promise<Miner[]> {
    return this.rows.byHotkeys(hotkeys);
  }

  /**
   * The validator set (chain-scoring-weights.md §2.5) from the synced stakes: stake >= 1000 TAO,
   * stake descending, first 24 (options override each part).
   */
  async listValidators(rule: ValidatorRule = {}): Promise<Miner[]> {
    const rows = await this.listInMetagraph();
    return selectValidators(
      rows.filter((r) => r.uid !== null).map((r) => Object.assign(r, { uid: r.uid as number })),
      rule,
    );
  }

  /** One sync inside runExclusive (skipped when another runner holds it). Throws when the chain is unreachable. */
  async syncMetagraph(): Promise<SyncOutcome> {
    const outcome = await this.runner.runExclusive(METAGRAPH_SYNC_LOCK, async () => this.syncOnce());
    if (!outcome.ran) return outcome;
    const r = outcome.value;
    await this.events.record({
      type: 'VALIDATOR_MINERS_REFRESH',
      subtype: 'SUCCESS',
      data: { block: r.block, new_neurons: r.newNeurons, updated_axon_infos: r.updatedNeurons },
    });
    return { ran: true, result: r };
  }

  private async syncOnce(): Promise<MetagraphSyncResult> {
    const metagraph = await this.chain.metagraph();
    return this.applyMetagraph(metagraph);
  }

  /** Writes a metagraph into the table (one transaction). Exposed for tests of the table logic. */
  async applyMetagraph(metagraph: Metagraph): Promise<MetagraphSyncResult> {
    const { newNeurons, updatedNeurons, leftNeurons } = await this.rows.writeMetagraph(metagraph.neurons, BigInt(metagraph.block));
    if (leftNeurons.length) this.logger.log(`${leftNeurons.length} neuron(s) left the metagraph: ${leftNeurons.map((m) => m.hotkey).join(', ')}`);
    return { block: metagraph.block, blockHash: metagraph.blockHash, neurons: metagraph.neurons.length, newNeurons, updatedNeurons, leftMetagraph: leftNeurons.length };
  }
}
