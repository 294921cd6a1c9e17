import type { ApiPromise } from '@polkadot/api';
import { TypeRegistry } from '@polkadot/types';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { contractAddressFromCommitment } from '../discovery/commitment';
import { associationKey } from './association-storage';
import { PolkadotCollateralChainReader } from './collateral-chain-reader';

/**
 * Storage vectors decoded the way a current runtime's metadata describes them (the local test
 * runtime has the commitment but not the association item; the live suite covers what it has).
 */
const registry = new TypeRegistry();
const dataVariants: Record<string, string> = { None: 'Null' };
for (let n = 0; n <= 128; n++) dataVariants[`Raw${n}`] = `[u8;${n}]`;
registry.register({
  CommitmentData: { _enum: dataVariants },
  CommitmentInfo: { fields: 'Vec<CommitmentData>' },
  Registration: { deposit: 'u64', block: 'u32', info: 'CommitmentInfo' },
});

// §11.3: Raw71 bytes of {"contract": {"address": "0x345a…091D"}}
const RAW71 =
  '7b22636f6e7472616374223a207b2261646472657373223a2022307833343561323934323239323139374237443945624331343338323133426533653031393130393144227d7d';

function fakeApi(query: { commitmentOf?: unknown; associatedEvmAddress?: unknown }): () => Promise<ApiPromise> {
  const api = {
    query: { commitments: { commitmentOf: query.commitmentOf } },
    at: async () => ({ query: { subtensorModule: { associatedEvmAddress: query.associatedEvmAddress } } }),
  };
  return async () => api as unknown as ApiPromise;
}

describe('PolkadotCollateralChainReader on typed storage', () => {
  it('§11.3 CommitmentOf storage vector (deposit, block, fields = [Raw71]) yields the contract address', async () => {
    // Option::Some ++ deposit u64 ++ block u32 ++ compact(1) ++ Data::Raw71 (index 72) ++ 71 bytes
    const storage = `0x01${'00e1f50500000000'}${'64000000'}04${'48'}${RAW71}`;
    const value = registry.createType('Option<Registration>', hexToU8a(storage));
    const seen: unknown[] = [];
    const reader = new PolkadotCollateralChainReader(
      fakeApi({
        commitmentOf: async (...args: unknown[]) => {
          seen.push(args);
          return value;
        },
      }),
    );
    const bytes = await reader.commitmentBytes(12, '5validator');
    expect(seen).toEqual([[12, '5validator']]);
    expect(u8aToHex(bytes ?? undefined)).toBe(`0x${RAW71}`);
    expect(contractAddressFromCommitment(bytes!)).toBe('0x345a2942292197B7D9EbC1438213Be3e0191091D');
  });

  it('no CommitmentOf entry (Option::None) => no bytes', async () => {
    const reader = new PolkadotCollateralChainReader(fakeApi({ commitmentOf: async () => registry.createType('Option<Registration>', hexToU8a('0x00')) }));
    expect(await reader.commitmentBytes(12, '5validator')).toBeNull();
  });

  it('a first field that is not raw data (None) => no bytes', async () => {
    const value = registry.createType('Option<Registration>', hexToU8a(`0x01${'00'.repeat(8)}${'00'.repeat(4)}0400`));
    const reader = new PolkadotCollateralChainReader(fakeApi({ commitmentOf: async () => value }));
    expect(await reader.commitmentBytes(12, '5validator')).toBeNull();
  });

  it('AssociatedEvmAddress entries (H160, u64) decode to uid -> lowercase address', async () => {
    const entries = [
      [{ toHex: () => associationKey(12, 3) }, registry.createType('Option<(H160, u64)>', ['0x77407F1709D339f5583fEaC922C0592e248F785F', 99])],
      [{ toHex: () => associationKey(12, 0) }, registry.createType('Option<(H160, u64)>', ['0x1234567890123456789012345678901234567890', 5])],
    ];
    const reader = new PolkadotCollateralChainReader(fakeApi({ associatedEvmAddress: Object.assign(async () => null, { entries: async () => entries }) }));
    expect(await reader.associatedEvmAddresses(12, '0xabc')).toEqual(
      new Map([
        [3, '0x77407f1709d339f5583feac922c0592e248f785f'],
        [0, '0x1234567890123456789012345678901234567890'],
      ]),
    );
  });
});
