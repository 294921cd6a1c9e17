import { Injectable } from '@nestjs/common';
import { DataSource, Not } from 'typeorm';
import { Miner } from '../../miners/registry/miner.entity';

/**
 * What the batch reads from the miners module's `miner` table (the metagraph as last synced), and
 * the rows of DEBUG_MINER_* miners, created when missing.
 */
@Injectable()
export class BatchMinersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(Miner);
  }

  /** In the metagraph with an address and port, by uid. */
  serving(): Promise<Miner[]> {
    return this.repo.find({ where: { inMetagraph: true, address: Not('0.0.0.0'), port: Not(0) }, order: { uid: 'ASC', id: 'ASC' } });
  }

  /** Every neuron in the metagraph, by uid. */
  inMetagraph(): Promise<Miner[]> {
    return this.repo.find({ where: { inMetagraph: true }, order: { uid: 'ASC', id: 'ASC' } });
  }

  byHotkey(hotkey: string): Promise<Miner | null> {
    return this.repo.findOne({ where: { hotkey } });
  }

  /** The row of `hotkey`, inserted with this address if missing (an existing row is left as is). */
  async ensure(row: { hotkey: string; address: string; port: number; ipVersion: number }): Promise<Miner> {
    await this.repo.createQueryBuilder().insert().values(row).orIgnore().execute();
    return (await this.repo.findOne({ where: { hotkey: row.hotkey } })) as Miner;
  }
}
