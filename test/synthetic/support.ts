import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { Clock, SystemClock } from '../../src/config/clock';
import { DynamicConfigService } from '../../src/config/dynamic/dynamic-config.service';
import { StaticValidatorHotkey } from '../../src/chain/validator-hotkey';
import { MinerConnection } from '../../src/miners/connection';
import { Miner } from '../../src/miners/registry/miner.entity';
import { SyntheticBatchRunnerService } from '../../src/synthetic-jobs/batch-run/batch-runner.service';
import { SyntheticMinersService } from '../../src/synthetic-jobs/participants/synthetic-miners.service';
import { LlmSamplesService } from '../../src/synthetic-jobs/trusted-miner/llm-samples.service';
import { S3Service } from '../../src/s3/s3.service';
import { ReceiptsService } from '../../src/receipts/receipts.service';
import { ReceiptRepository } from '../../src/receipts/persistence/receipt.repository';
import type { SimulatedHorde } from '../../src/devnet/miners';
import { LiveFeedService } from '../../src/observability/live/live-feed.service';
import { SystemEventsService } from '../../src/observability/system-events/system-events.service';
import { testConfig } from '../support/app';
import { SyntheticBatchRepository } from '../../src/synthetic-jobs/persistence/synthetic-batch.repository';
import { MinerManifestRepository } from '../../src/synthetic-jobs/persistence/miner-manifest.repository';
import { BatchSystemEventsRepository } from '../../src/synthetic-jobs/persistence/batch-system-events.repository';
import { BatchMinersRepository } from '../../src/synthetic-jobs/persistence/batch-miners.repository';
import { PromptSamplesRepository } from '../../src/synthetic-jobs/trusted-miner/persistence/prompt-samples.repository';

export const validatorPair = (): KeyringPair => new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');

export interface SyntheticServices {
  config: AppConfig;
  clock: Clock;
  dynamic: DynamicConfigService;
  hotkey: StaticValidatorHotkey;
  miners: SyntheticMinersService;
  runner: SyntheticBatchRunnerService;
  /** The live feed the runner publishes job statuses to. */
  live: LiveFeedService;
}

/** The batch runner wired by hand with real collaborators (real MinerConnection, real database). */
export function syntheticServices(dataSource: DataSource, env: Record<string, string> = {}, pair = validatorPair(), withLlm = false): SyntheticServices & { s3?: S3Service } {
  const config = testConfig({ DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: 'devnet', ...env });
  const clock = new SystemClock();
  const dynamic = new DynamicConfigService(dataSource, config, clock);
  const hotkey = new StaticValidatorHotkey(pair);
  const miners = new SyntheticMinersService(new BatchMinersRepository(dataSource), config);
  const s3 = withLlm ? new S3Service(config, clock) : undefined;
  const llm = withLlm ? new LlmSamplesService(new PromptSamplesRepository(dataSource)) : undefined;
  const live = new LiveFeedService(new SystemEventsService(dataSource));
  const runner = new SyntheticBatchRunnerService(new SyntheticBatchRepository(dataSource), new MinerManifestRepository(dataSource), new BatchSystemEventsRepository(dataSource), config, clock, dynamic, hotkey, miners, (opts) => new MinerConnection(opts), llm, s3, new ReceiptsService(new ReceiptRepository(dataSource)), live);
  return { config, clock, dynamic, hotkey, miners, runner, s3, live };
}

/** Registers the horde's miners in the miner table (as the metagraph sync would). */
export async function registerHorde(dataSource: DataSource, horde: SimulatedHorde, stakes: Record<string, bigint> = {}): Promise<void> {
  const repo = dataSource.getRepository(Miner);
  for (const [uid, m] of horde.miners.entries()) {
    await repo.insert({ hotkey: m.hotkey, uid, address: m.host, port: m.port, ipVersion: 4, inMetagraph: true, stake: stakes[m.hotkey] ?? 0n });
  }
}
