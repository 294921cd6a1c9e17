import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Miner } from '../../miners/registry/miner.entity';

/**
 * The columns of the `miner` table this module owns (`evm_address`, `collateral_wei`), and the miner
 * rows it reads to sync and slash them.
 */
@Injectable()
export class MinerCollateralRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Rows of these hotkeys, by uid. */
  async byHotkeys(hotkeys: string[]): Promise<Miner[]> {
    return hotkeys.length ? this.dataSource.getRepository(Miner).find({ where: { hotkey: In(hotkeys) }, order: { uid: 'ASC' } }) : [];
  }

  async byHotkey(hotkey: string): Promise<Miner | null> {
    return this.dataSource.getRepository(Miner).findOneBy({ hotkey });
  }

  /** Rows outside `hotkeys` that still hold an EVM address or a non-zero collateral. */
  async othersWithCollateral(hotkeys: string[]): Promise<Miner[]> {
    const query = this.dataSource.getRepository(Miner).createQueryBuilder('m').where('(m.evm_address IS NOT NULL OR m.collateral_wei <> 0)');
    if (hotkeys.length) query.andWhere('m.hotkey NOT IN (:...hotkeys)', { hotkeys });
    return query.getMany();
  }

  /** Writes every row's address and amount in one transaction. */
  async saveAll(rows: { hotkey: string; evmAddress: string | null; collateralWei: bigint }[]): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      for (const row of rows) {
        await tx.getRepository(Miner).update({ hotkey: row.hotkey }, { evmAddress: row.evmAddress, collateralWei: row.collateralWei });
      }
    });
  }

  /** Hotkeys whose stored collateral is >= threshold. */
  async hotkeysWithCollateralAtLeast(threshold: bigint): Promise<Set<string>> {
    const rows = await this.dataSource
      .getRepository(Miner)
      .createQueryBuilder('m')
      .select('m.hotkey', 'hotkey')
      .where('m.collateral_wei >= CAST(:threshold AS numeric)', { threshold: threshold.toString() })
      .getRawMany<{ hotkey: string }>();
    return new Set(rows.map((r) => r.hotkey));
  }
}
