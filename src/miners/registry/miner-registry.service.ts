import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { ChainService } from '../../chain/chain.service';
import type { Metagraph, Neuron } from '../../chain/client/metagraph';
import { NOT_SERVING_IP } from '../../chain/client/metagraph';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { Miner } from './miner.entity';
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
    private readonly dataSource: DataSource,
    private readonly chain: ChainService,
    private readonly runner: ExclusiveRunner,
    private readonly events: SystemEventsService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(Miner);
  }

  /** Miners to talk to: in the metagraph now, with an axon address and port. Ordered by uid. */
  async listServing(): Promise<Miner[]> {
    return this.repo.find({ where: { inMetagraph: true, uid: Not(IsNull()), address: Not(NOT_SERVING_IP), port: Not(0) }, order: { uid: 'ASC' } });
  }

  /** Every neuron currently in the metagraph, ordered by uid. */
  async listInMetagraph(): Promise<Miner[]> {
    return this.repo.find({ where: { inMetagraph: true, uid: Not(IsNull()) }, order: { uid: 'ASC' } });
  }

  /** All rows, including neurons that left the metagraph (they are never deleted). */
  async listAll(): Promise<Miner[]> {
    return this.repo.find({ order: { inMetagraph: 'DESC', uid: 'ASC', id: 'ASC' } });
  }

  async findByHotkey(hotkey: string): Promise<Miner | null> {
    return this.repo.findOne({ where: { hotkey } });
  }

  async findByHotkeys(hotkeys: string[]): Promise<Miner[]> {
    return hotkeys.length ? this.repo.find({ where: { hotkey: In(hotkeys) } }) : [];
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
    const block = BigInt(metagraph.block);
    return this.dataSource.transaction(async (em) => {
      const repo = em.getRepository(Miner);
      const existing = new Map((await repo.find()).map((m) => [m.hotkey, m]));
      const seen = new Set<string>();
      let newNeurons = 0;
      let updatedNeurons = 0;
      for (const neuron of metagraph.neurons) {
        seen.add(neuron.hotkey);
        const row = existing.get(neuron.hotkey);
        const wanted = rowValues(neuron);
        if (!row) {
          await repo.insert({ hotkey: neuron.hotkey, ...wanted, inMetagraph: true, lastSyncedBlock: block });
          newNeurons += 1;
        } else if (differs(row, wanted) || !row.inMetagraph) {
          await repo.update({ id: row.id }, { ...wanted, inMetagraph: true, lastSyncedBlock: block });
          updatedNeurons += 1;
        }
      }
      // Rows other code created (trusted pseudo-miner, debug miner, routing) are not neurons either.
      const left = [...existing.values()].filter((m) => m.inMetagraph && !seen.has(m.hotkey));
      if (left.length) await repo.update({ id: In(left.map((m) => m.id)) }, { inMetagraph: false, lastSyncedBlock: block });
      const unchanged = [...seen].filter((h) => existing.has(h));
      if (unchanged.length) {
        await em.query('UPDATE miner SET last_synced_block = $1 WHERE hotkey = ANY($2) AND (last_synced_block IS NULL OR last_synced_block < $1)', [
          block.toString(),
          unchanged,
        ]);
      }
      const leftNeurons = left.filter((m) => m.uid !== null);
      if (leftNeurons.length) this.logger.log(`${leftNeurons.length} neuron(s) left the metagraph: ${leftNeurons.map((m) => m.hotkey).join(', ')}`);
      return { block: metagraph.block, blockHash: metagraph.blockHash, neurons: metagraph.neurons.length, newNeurons, updatedNeurons, leftMetagraph: leftNeurons.length };
    });
  }
}

type SyncedColumns = Pick<Miner, 'uid' | 'coldkey' | 'address' | 'port' | 'ipVersion' | 'stake' | 'validatorPermit'>;

function rowValues(n: Neuron): SyncedColumns {
  return {
    uid: n.uid,
    coldkey: n.coldkey,
    address: n.axon.ip,
    port: n.axon.port,
    ipVersion: n.axon.ipVersion,
    stake: n.stake,
    validatorPermit: n.validatorPermit,
  };
}

function differs(row: Miner, wanted: SyncedColumns): boolean {
  return (
    row.uid !== wanted.uid ||
    row.coldkey !== wanted.coldkey ||
    row.address !== wanted.address ||
    row.port !== wanted.port ||
    row.ipVersion !== wanted.ipVersion ||
    row.stake !== wanted.stake ||
    row.validatorPermit !== wanted.validatorPermit
  );
}
