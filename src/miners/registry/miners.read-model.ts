import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { NOT_SERVING_IP } from '../../chain/client/metagraph';
import { Miner } from './miner.entity';

/** A neuron as the status page and metrics see it (no network address: that is not shown). */
export interface NeuronView {
  /** Row id: other modules' read models refer to miners by it. */
  minerId: string;
  uid: number;
  hotkey: string;
  /** rao */
  stake: bigint;
  validatorPermit: boolean;
  /** Has an axon (address and port): it can be sent jobs. */
  serving: boolean;
  lastSyncedBlock: bigint | null;
}

/** Read-only view of the `miner` table for other modules' pages and metrics (the registry's own reads stay in MinerRegistryService). */
@Injectable()
export class MinersReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /** Neurons in the metagraph now, by uid. */
  async neurons(): Promise<NeuronView[]> {
    const rows = await this.dataSource.getRepository(Miner).find({ where: { inMetagraph: true, uid: Not(IsNull()) }, order: { uid: 'ASC' } });
    return rows.map(toView);
  }

  /** Hotkeys of miner rows by id (also of neurons that left the metagraph). */
  async hotkeys(minerIds: readonly string[]): Promise<Map<string, string>> {
    if (minerIds.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(Miner).find({ select: { id: true, hotkey: true }, where: { id: In([...new Set(minerIds)]) } });
    return new Map(rows.map((r) => [String(r.id), r.hotkey]));
  }

  /** The neuron of `hotkey` if it is in the metagraph now (the validator's own uid, stake and permit). */
  async neuron(hotkey: string): Promise<NeuronView | null> {
    const row = await this.dataSource.getRepository(Miner).findOne({ where: { hotkey, inMetagraph: true, uid: Not(IsNull()) } });
    return row ? toView(row) : null;
  }
}

function toView(m: Miner): NeuronView {
  return {
    // pg gives bigint ids as strings, the embedded driver as numbers: one form for map keys
    minerId: String(m.id),
    uid: m.uid as number,
    hotkey: m.hotkey,
    stake: m.stake,
    validatorPermit: m.validatorPermit,
    serving: m.address !== NOT_SERVING_IP && m.port !== 0,
    lastSyncedBlock: m.lastSyncedBlock,
  };
}
