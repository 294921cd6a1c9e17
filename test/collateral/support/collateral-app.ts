import { Global, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { AppConfig } from '../../../src/config/app-config';
import { Clock } from '../../../src/config/clock';
import { ConfigModule } from '../../../src/config/config.module';
import { DynamicConfigModule } from '../../../src/config/dynamic/dynamic-config.module';
import { DatabaseModule } from '../../../src/database/database.module';
import { ObservabilityModule } from '../../../src/observability/observability.module';
import { StaticValidatorHotkey, ValidatorHotkey } from '../../../src/chain/validator-hotkey';
import { CollateralModule } from '../../../src/collateral/collateral.module';
import { CollateralChainReader } from '../../../src/collateral/chain/collateral-chain-reader';
import { CollateralGateBinding } from '../../../src/wiring/collateral-gate.binding';

/** Time that never waits: sleeps return at once and are recorded. */
export class InstantClock extends Clock {
  readonly sleeps: number[] = [];
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.offset += ms;
  }
}

export const VALIDATOR_SEED = '//Alice//validator';

@Global()
@Module({})
class TestHotkeyModule {
  static forRoot(hotkey: ValidatorHotkey): DynamicModule {
    return { module: TestHotkeyModule, providers: [{ provide: ValidatorHotkey, useValue: hotkey }], exports: [ValidatorHotkey] };
  }
}

/**
 * The collateral module with the foundation it needs, on a real PostgreSQL database. `chain`
 * replaces the Substrate reader when given (EVM-side suites); the clock is instant.
 */
export async function collateralContext(opts: {
  databaseUrl: string;
  env: Record<string, string>;
  chain?: CollateralChainReader;
  clock?: Clock;
  validatorSeed?: string;
  validatorPair?: KeyringPair;
}): Promise<{ app: INestApplicationContext; clock: Clock; hotkey: ValidatorHotkey }> {
  await cryptoWaitReady();
  const pair = opts.validatorPair ?? new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(opts.validatorSeed ?? VALIDATOR_SEED);
  const hotkey = new StaticValidatorHotkey(pair);
  const config = AppConfig.fromEnv({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...opts.env });
  const clock = opts.clock ?? new InstantClock();
  let builder = Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule.forRoot({ kind: 'postgres', url: opts.databaseUrl }),
      ObservabilityModule,
      DynamicConfigModule,
      TestHotkeyModule.forRoot(hotkey),
      CollateralModule,
      CollateralGateBinding.forRoot({ collateral: 'contract' }),
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock);
  if (opts.chain) builder = builder.overrideProvider(CollateralChainReader).useValue(opts.chain);
  const moduleRef = await builder.compile();
  moduleRef.useLogger(['error']);
  const app = await moduleRef.init();
  return { app, clock, hotkey };
}
