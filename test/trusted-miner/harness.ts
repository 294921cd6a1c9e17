import { Test, TestingModule } from '@nestjs/testing';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DataSource } from 'typeorm';
import { StaticValidatorHotkey, ValidatorHotkey } from '../../src/chain/validator-hotkey';
import { AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { DynamicConfigModule } from '../../src/config/dynamic/dynamic-config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { llmRunners } from '../../src/devnet/executors/llm-runners';
import { simulatedMinerPair, SimulatedMiner, type ExecutorBehaviour } from '../../src/devnet/miners';
import { S3Peer } from '../../src/devnet/s3-peer/ceph-s3-peer';
import { ObservabilityModule } from '../../src/observability/observability.module';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import { TrustedMinerModule } from '../../src/synthetic-jobs/trusted-miner/trusted-miner.module';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';

/** A simulated trusted miner: a devnet miner in "local" mode running the LLM job runners. */
export async function startTrustedMiner(behaviour?: ExecutorBehaviour): Promise<SimulatedMiner> {
  await cryptoWaitReady();
  return SimulatedMiner.start({
    hotkey: simulatedMinerPair(900),
    isLocalMiner: true,
    executors: [{ executorClass: 'always_on.llm.a6000' }],
    behaviour,
    runners: llmRunners(),
  });
}

export interface PipelineApp {
  module: TestingModule;
  dataSource: DataSource;
  events(type?: string): Promise<SystemEvent[]>;
  close(): Promise<void>;
}

/** The trusted-miner module on a throwaway PostgreSQL database, with a dev validator hotkey. */
export async function startPipelineApp(env: Record<string, string>): Promise<PipelineApp> {
  await cryptoWaitReady();
  const db: ThrowawayDatabase = await createThrowawayDatabase('chv_tm');
  const config = AppConfig.fromEnv({ LOG_LEVEL: 'warn', ...env });
  const module = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ kind: 'postgres', url: db.url }), ObservabilityModule, DynamicConfigModule, TrustedMinerModule],
  })
    .overrideProvider(ValidatorHotkey)
    .useValue(new StaticValidatorHotkey(new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//TrustedMinerTestValidator')))
    .compile();
  await module.init();
  const dataSource = module.get(DataSource);
  return {
    module,
    dataSource,
    events: (type) => dataSource.getRepository(SystemEvent).find({ where: type ? { type: type as SystemEvent['type'] } : {}, order: { id: 'ASC' } }),
    close: async () => {
      await module.close();
      await db.drop();
    },
  };
}

export type { S3Peer };
