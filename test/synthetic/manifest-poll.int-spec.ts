import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { migratedPostgres } from '../support/postgres';
import { testConfig } from '../support/app';
import { SystemClock } from '../../src/config/clock';
import { StaticValidatorHotkey } from '../../src/chain/validator-hotkey';
import { ExclusiveRunner } from '../../src/database/exclusive-runner.service';
import { startSimulatedHorde, SimulatedHorde } from '../../src/devnet/miners/horde';
import { SyntheticMinersService } from '../../src/synthetic-jobs/participants/synthetic-miners.service';
import { ManifestPollService } from '../../src/synthetic-jobs/manifests/manifest-poll.service';
import { MinerManifestRepository } from '../../src/synthetic-jobs/persistence/miner-manifest.repository';
import { BatchMinersRepository } from '../../src/synthetic-jobs/persistence/batch-miners.repository';

describe('poll_miner_manifests against simulated miners', () => {
  let db: Awaited<ReturnType<typeof migratedPostgres>>;
  let horde: SimulatedHorde;

  beforeAll(async () => {
    await cryptoWaitReady();
    db = await migratedPostgres();
    horde = await startSimulatedHorde({
      miners: [
        { executors: 3 },
        { executors: [{ executorClass: 'spin_up-4min.gpu-24gb' }, { executorClass: 'always_on.llm.a6000' }] },
      ],
    });
  });
  afterAll(async () => {
    await horde.stop();
    await db.close();
  });

  it('stores each serving miner manifest for routing, and records who did not answer', async () => {
    for (const [i, m] of horde.miners.entries()) {
      await db.dataSource.query(`INSERT INTO miner (hotkey, uid, address, port) VALUES ($1, $2, $3, $4)`, [m.hotkey, i + 1, m.host, m.port]);
    }
    await db.dataSource.query(`INSERT INTO miner (hotkey, uid, address, port) VALUES ('5DeadMinerDeadMinerDeadMinerDeadMinerDeadMinerDe', 9, '127.0.0.1', 1)`);
    const config = testConfig();
    const service = new ManifestPollService(
      new MinerManifestRepository(db.dataSource),
      new SyntheticMinersService(new BatchMinersRepository(db.dataSource), config),
      new StaticValidatorHotkey(new Keyring({ type: 'sr25519' }).addFromUri('//Alice')),
      new SystemClock(),
      new ExclusiveRunner(db.dataSource),
    );
    const result = await service.pollOnce();
    expect(result.miners).toBe(3);
    expect(result.manifests).toBe(2);
    expect(result.failures).toEqual([{ hotkey: '5DeadMinerDeadMinerDeadMinerDeadMinerDeadMinerDe', reason: expect.any(String) }]);
    const rows = (await db.dataSource.query(
      `SELECT m.hotkey, mm.executor_class, mm.online_executor_count AS n, mm.batch_id FROM miner_manifest mm JOIN miner m ON m.id = mm.miner_id ORDER BY m.uid, mm.executor_class`,
    )) as { hotkey: string; executor_class: string; n: number; batch_id: string | null }[];
    expect(rows).toEqual([
      { hotkey: horde.miners[0].hotkey, executor_class: 'spin_up-4min.gpu-24gb', n: 3, batch_id: null },
      { hotkey: horde.miners[1].hotkey, executor_class: 'always_on.llm.a6000', n: 1, batch_id: null },
      { hotkey: horde.miners[1].hotkey, executor_class: 'spin_up-4min.gpu-24gb', n: 1, batch_id: null },
    ]);
  }, 120_000);
});
