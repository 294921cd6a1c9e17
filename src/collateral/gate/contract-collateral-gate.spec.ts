import type { DataSource } from 'typeorm';
import type { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import type { CollateralContractDiscovery, ContractDiscovery } from '../discovery/contract-discovery.service';
import type { CollateralSlashingService } from '../slashing/collateral-slashing.service';
import { MinerCollateralRepository } from '../persistence/miner-collateral.repository';
import { ContractCollateralGate } from './contract-collateral-gate';

function gate(opts: { contract: ContractDiscovery; threshold: bigint; db: 'down' | 'unused' }) {
  const dataSource = {
    getRepository: () => {
      if (opts.db === 'down') throw new Error('database unavailable');
      throw new Error('the database must not be read here');
    },
  } as unknown as DataSource;
  const dynamic = { get: async () => opts.threshold } as unknown as DynamicConfigService;
  const discovery = { current: async () => opts.contract } as unknown as CollateralContractDiscovery;
  return new ContractCollateralGate(new MinerCollateralRepository(dataSource), dynamic, discovery, {} as CollateralSlashingService);
}

const FOUND: ContractDiscovery = { state: 'found', address: '0x345a2942292197B7D9EbC1438213Be3e0191091D' };

describe('ContractCollateralGate (routing seam)', () => {
  it('no contract: every miner passes, threshold null, no database read', async () => {
    expect(await gate({ contract: { state: 'none', why: 'x' }, threshold: 10n, db: 'unused' }).filterMiners(['a', 'b'])).toEqual({ eligible: ['a', 'b'], threshold: null });
  });

  it('threshold <= 0 disables the filter (threshold echoed)', async () => {
    expect(await gate({ contract: FOUND, threshold: 0n, db: 'unused' }).filterMiners(['a'])).toEqual({ eligible: ['a'], threshold: 0n });
    expect(await gate({ contract: FOUND, threshold: -5n, db: 'unused' }).filterMiners(['a'])).toEqual({ eligible: ['a'], threshold: -5n });
  });

  it('listing eligible miners fails: the filter is skipped (fail-open, as the reference)', async () => {
    expect(await gate({ contract: FOUND, threshold: 10n, db: 'down' }).filterMiners(['a', 'b'])).toEqual({ eligible: ['a', 'b'], threshold: 10n });
  });
});
