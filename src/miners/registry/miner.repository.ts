import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import type { Neuron } from '../../chain/client/metagraph';
import { NOT_SERVING_IP } from '../../chain/client/metagraph';
import { Miner } from './miner.entity';

/** What one metagraph write changed. */
export interface MetagraphWrite {
  newNeurons: number;
  updatedNeurons: number;
  /** Rows with a uid that were in the metagraph and are not any more. */
  leftNeurons: Miner[];
}

/** Every statement on the `miner` table made by the registry (its lists and the metagraph write). */
@Injectable()
export class MinerRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(Miner);
  }

  /** In the metagraph now, with an axon address and port. Ordered by uid. */
  async serving(): Promise<Miner[]> {
    return this.repo.find({ where: { inMetagraph: true, uid: Not(IsNull()), address: Not(NOT_SERVING_IP), port: Not(0) }, order: { uid: 'ASC' } });
  }

  async inMetagraph(): Promise<Miner[]> {
    return this.repo.find({ where: { inMetagraph: true, uid: Not(IsNull()) }, order: { uid: 'ASC' } });
  }

  async all(): Promise<Miner[]> {
    return this.repo.find({ order: { inMetagraph: 'DESC', uid: 'ASC', id: 'ASC' } });
  }

  async byHotkey(hotkey: string): Promise<Miner | null> {
    return this.repo.findOne({ where: { hotkey } });
  }

  async byHotkeys(hotkeys: string[]): Promise<Miner[]> {
    return hotkeys.length ? this.repo.find({ where: { hotkey: In(hotkeys) } }) : [];
  }

  /**
   * Writes the neurons of a metagraph at `block` (one transaction): inserts new hotkeys, updates rows
   * whose synced columns differ (or that come back), marks rows that are not neurons any more
   * `in_metagraph = false`, and stamps `last_synced_block` on the unchanged ones.
   */
  async writeMetagraph(neurons: readonly Neuron[], block: bigint): Promise<MetagraphWrite> {
    return this.dataSource.transaction(async (em) => {
      const repo = em.getRepository(Miner);
      const existing = new Map((await repo.find()).map((m) => [m.hotkey, m]));
      const seen = new Set<string>();
      let newNeurons = 0;
      let updatedNeurons = 0;
      for (const neuron of neurons) {
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
      return { newNeurons, updatedNeurons, leftNeurons: left.filter((m) => m.uid !== null) };
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
