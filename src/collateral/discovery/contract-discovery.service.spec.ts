import { stringToU8a } from '@polkadot/util';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { CollateralChainReader, type ChainSnapshot } from '../chain/collateral-chain-reader';
import type { CollateralValidatorIdentity } from '../collateral-validator-identity';
import { CollateralContractDiscovery, CONTRACT_ADDRESS_TTL_MS, NO_CONTRACT_RECHECK_MS } from './contract-discovery.service';

class ManualClock extends Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
}

class CommitmentOnly extends CollateralChainReader {
  bytes: Uint8Array | null = null;
  error: Error | null = null;
  reads: { netuid: number; hotkey: string }[] = [];
  snapshot(): Promise<ChainSnapshot> {
    throw new Error('not used');
  }
  associatedEvmAddresses(): Promise<Map<number, string>> {
    throw new Error('not used');
  }
  async commitmentBytes(netuid: number, hotkey: string): Promise<Uint8Array | null> {
    this.reads.push({ netuid, hotkey });
    if (this.error) throw this.error;
    return this.bytes;
  }
}

const ADDRESS = '0x345a2942292197B7D9EbC1438213Be3e0191091D';
const commitment = (address: string) => stringToU8a(`{"contract": {"address": "${address}"}}`);

describe('CollateralContractDiscovery', () => {
  let chain: CommitmentOnly;
  let clock: ManualClock;
  let discovery: CollateralContractDiscovery;

  beforeEach(() => {
    chain = new CommitmentOnly();
    clock = new ManualClock();
    const identity = { hotkeySs58: async () => '5validator' } as unknown as CollateralValidatorIdentity;
    discovery = new CollateralContractDiscovery(chain, identity, AppConfig.fromEnv({ BITTENSOR_NETUID: '12' }), clock);
  });

  it("reads the validator's own commitment on its netuid and checksums the address", async () => {
    chain.bytes = commitment(ADDRESS.toLowerCase());
    expect(await discovery.discover()).toEqual({ state: 'found', address: ADDRESS });
    expect(chain.reads).toEqual([{ netuid: 12, hotkey: '5validator' }]);
  });

  it('caches a found address for 10 minutes; refresh and expiry read again', async () => {
    chain.bytes = commitment(ADDRESS);
    await discovery.discover();
    await discovery.discover();
    expect(chain.reads).toHaveLength(1);
    await discovery.discover({ refresh: true });
    expect(chain.reads).toHaveLength(2);
    clock.t += CONTRACT_ADDRESS_TTL_MS;
    await discovery.discover();
    expect(chain.reads).toHaveLength(3);
  });

  it('never caches "none" in discover(); a contract published later is found at once', async () => {
    expect(await discovery.discover()).toMatchObject({ state: 'none' });
    chain.bytes = commitment(ADDRESS);
    expect(await discovery.discover()).toEqual({ state: 'found', address: ADDRESS });
  });

  it('an address that is not an H160 means no contract', async () => {
    chain.bytes = commitment('0xcontract');
    expect(await discovery.discover()).toMatchObject({ state: 'none', why: expect.stringContaining('invalid contract address') });
  });

  it('routing (current) re-reads "none" at most once a minute and survives a chain outage with the last answer', async () => {
    expect(await discovery.current()).toMatchObject({ state: 'none' });
    chain.bytes = commitment(ADDRESS);
    expect(await discovery.current()).toMatchObject({ state: 'none' });
    clock.t += NO_CONTRACT_RECHECK_MS;
    expect(await discovery.current()).toEqual({ state: 'found', address: ADDRESS });
    chain.error = new Error('chain down');
    clock.t += CONTRACT_ADDRESS_TTL_MS;
    expect(await discovery.current()).toEqual({ state: 'found', address: ADDRESS });
  });

  it('routing with a chain that never answered: collateral off', async () => {
    chain.error = new Error('chain down');
    expect(await discovery.current()).toMatchObject({ state: 'none', why: 'commitment could not be read' });
  });

  it('after a failed read routing does not ask the chain again for a minute (each job would wait for it)', async () => {
    chain.error = new Error('chain down');
    await discovery.current();
    const reads = chain.reads.length;
    expect(await discovery.current()).toMatchObject({ state: 'none', why: 'commitment could not be read' });
    expect(chain.reads).toHaveLength(reads);
    chain.error = null;
    chain.bytes = commitment(ADDRESS);
    clock.t += NO_CONTRACT_RECHECK_MS;
    expect(await discovery.current()).toEqual({ state: 'found', address: ADDRESS });
  });
});
