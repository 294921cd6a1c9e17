import { DataSource } from 'typeorm';
import type { Metagraph, Neuron } from '../../src/chain/client/metagraph';
import type { ChainService } from '../../src/chain/chain.service';
import { ExclusiveRunner } from '../../src/database/exclusive-runner.service';
import { Miner, TRUSTED_MINER_PSEUDO_HOTKEY } from '../../src/miners/registry/miner.entity';
import { MinerRegistryService } from '../../src/miners/registry/miner-registry.service';
import { MinerRepository } from '../../src/miners/registry/miner.repository';
import { SystemEventsService } from '../../src/observability/system-events/system-events.service';
import { migratedEmbedded, migratedPostgres } from '../support/postgres';

const TAO = 1_000_000_000n;

function neuron(uid: number, over: Partial<Neuron> = {}): Neuron {
  return {
    uid,
    hotkey: `hotkey-${uid}`,
    coldkey: `coldkey-${uid}`,
    stake: BigInt(uid) * 1000n * TAO,
    axon: { ip: `10.0.0.${uid}`, port: 8000 + uid, ipVersion: 4, ipType: 4, protocol: 4, version: 1 },
    validatorPermit: uid < 2,
    active: true,
    ...over,
  };
}

function metagraph(block: number, neurons: Neuron[]): Metagraph {
  return { netuid: 12, block, blockHash: `0x${block.toString(16).padStart(64, '0')}`, neurons, stakeSource: 'stake-weight' };
}

/** The table logic of the sync on both databases the validator supports (the chain side is test/chain/chain.int-spec.ts). */
describe.each([
  ['embedded PostgreSQL', migratedEmbedded],
  ['PostgreSQL', migratedPostgres],
] as const)('miner registry table on %s', (_label, open) => {
  let db: { dataSource: DataSource; close(): Promise<void> };
  let registry: MinerRegistryService;
  let current: Metagraph;

  beforeAll(async () => {
    db = await open();
    const chain = { metagraph: async () => current } as unknown as ChainService;
    registry = new MinerRegistryService(new MinerRepository(db.dataSource), chain, new ExclusiveRunner(db.dataSource), new SystemEventsService(db.dataSource));
    await db.dataSource.getRepository(Miner).insert({ hotkey: TRUSTED_MINER_PSEUDO_HOTKEY, address: '192.168.1.1', port: 9000 });
  });
  afterAll(() => db.close());

  it('inserts new neurons, then updates, marks leavers and never deletes', async () => {
    current = metagraph(100, [neuron(0, { axon: { ip: '0.0.0.0', port: 0, ipVersion: 4, ipType: 0, protocol: 0, version: 0 } }), neuron(1), neuron(2), neuron(3)]);
    expect(await registry.syncMetagraph()).toMatchObject({ ran: true, result: { block: 100, neurons: 4, newNeurons: 4, updatedNeurons: 0, leftMetagraph: 0 } });
    expect((await registry.listServing()).map((m) => m.hotkey)).toEqual(['hotkey-1', 'hotkey-2', 'hotkey-3']);
    expect(await registry.findByHotkey('hotkey-2')).toMatchObject({ uid: 2, coldkey: 'coldkey-2', address: '10.0.0.2', port: 8002, ipVersion: 4, stake: 2000n * TAO, validatorPermit: false, inMetagraph: true, lastSyncedBlock: 100n });

    // hotkey-2 is replaced by hotkey-9 at uid 2; hotkey-3 moves its axon; nothing else changes
    current = metagraph(110, [current.neurons[0], neuron(1), neuron(2, { hotkey: 'hotkey-9', coldkey: 'coldkey-9' }), neuron(3, { axon: { ip: '10.0.0.33', port: 9003, ipVersion: 4, ipType: 4, protocol: 4, version: 1 } })]);
    expect(await registry.syncMetagraph()).toMatchObject({ ran: true, result: { block: 110, newNeurons: 1, updatedNeurons: 1, leftMetagraph: 1 } });
    expect(await registry.findByHotkey('hotkey-2')).toMatchObject({ inMetagraph: false, lastSyncedBlock: 110n });
    expect(await registry.findByHotkey('hotkey-3')).toMatchObject({ address: '10.0.0.33', port: 9003, lastSyncedBlock: 110n });
    expect(await registry.findByHotkey('hotkey-1')).toMatchObject({ lastSyncedBlock: 110n });
    expect(await registry.findByHotkey(TRUSTED_MINER_PSEUDO_HOTKEY)).toMatchObject({ inMetagraph: false, uid: null, address: '192.168.1.1' });
    expect((await registry.listServing()).map((m) => m.hotkey)).toEqual(['hotkey-1', 'hotkey-9', 'hotkey-3']);
    expect(await db.dataSource.getRepository(Miner).count()).toBe(6);

    // a neuron that comes back is in the metagraph again
    current = metagraph(120, [...current.neurons, neuron(4, { hotkey: 'hotkey-2', coldkey: 'coldkey-2' })]);
    expect(await registry.syncMetagraph()).toMatchObject({ ran: true, result: { newNeurons: 0, updatedNeurons: 1, leftMetagraph: 0 } });
    expect(await registry.findByHotkey('hotkey-2')).toMatchObject({ uid: 4, inMetagraph: true });

    const events = await new SystemEventsService(db.dataSource).recent(10);
    expect(events.filter((e) => e.type === 'VALIDATOR_MINERS_REFRESH').map((e) => e.data).reverse()).toEqual([
      { block: 100, new_neurons: 4, updated_axon_infos: 0 },
      { block: 110, new_neurons: 1, updated_axon_infos: 1 },
      { block: 120, new_neurons: 0, updated_axon_infos: 1 },
    ]);
  });

  it('lists validators by the stake rule over the synced stakes', async () => {
    // stakes: uid 1 1000 TAO, uid 2 (hotkey-9) 2000, uid 3 3000, uid 4 (hotkey-2) 4000; uid 0 has 0
    expect((await registry.listValidators()).map((m) => m.hotkey)).toEqual(['hotkey-2', 'hotkey-3', 'hotkey-9', 'hotkey-1']);
    expect((await registry.listValidators({ limit: 2 })).map((m) => m.uid)).toEqual([4, 3]);
    expect((await registry.listValidators({ minStake: 2500n * TAO })).map((m) => m.uid)).toEqual([4, 3]);
  });
});
