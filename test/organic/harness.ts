import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { StaticValidatorHotkey, ValidatorHotkey } from '../../src/chain/validator-hotkey';
import { ConfigModule } from '../../src/config/config.module';
import { DynamicConfigModule } from '../../src/config/dynamic/dynamic-config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { ObservabilityModule } from '../../src/observability/observability.module';
import { OrganicJobsModule } from '../../src/organic-jobs/organic-jobs.module';
import { CollateralGate } from '../../src/organic-jobs/routing/collateral-gate';
import { CollateralGateBinding } from '../../src/wiring/collateral-gate.binding';
import { ROUTING_OPTIONS } from '../../src/organic-jobs/routing/routing.service';
import { DRIVER_OPTIONS } from '../../src/organic-jobs/driver/miner-driver.service';
import { FACILITATOR_CLIENT_OPTIONS, FacilitatorClientOptions, FacilitatorClientService } from '../../src/organic-jobs/facilitator/facilitator-client.service';
import { WhitelistService } from '../../src/organic-jobs/trust/whitelist.service';
import { SimulatedFacilitator } from '../../src/devnet/facilitator/simulated-facilitator';
import type { SimulatedHorde } from '../../src/devnet/miners';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { testConfig } from '../support/app';

/** Records what routing and cheat handling ask of the collateral seam (the collateral module is tested on its own). */
export class RecordingCollateralGate extends CollateralGate {
  readonly slashes: { jobUuid: string; minerHotkey: string; details: string }[] = [];
  excluded = new Set<string>();
  threshold: bigint | null = null;
  async filterMiners(hotkeys: string[]) {
    return { eligible: hotkeys.filter((h) => !this.excluded.has(h)), threshold: this.threshold };
  }
  async slashForCheatedJob(input: { jobUuid: string; minerHotkey: string; details: string }) {
    this.slashes.push(input);
  }
}

export interface OrganicHarness {
  app: INestApplicationContext;
  db: DataSource;
  database: ThrowawayDatabase;
  facilitator: SimulatedFacilitator;
  client: FacilitatorClientService;
  validator: KeyringPair;
  sdk: KeyringPair;
  gate: RecordingCollateralGate;
  /** Registers miners (in the metagraph, serving) with one manifest row per class. */
  registerMiners(horde: SimulatedHorde, only?: string[]): Promise<void>;
  /** Leaves only these hotkeys with executors of `executorClass` (routing sees no other miner). */
  serveOnly(hotkeys: string[], executorClass: string, executors?: number): Promise<void>;
  close(): Promise<void>;
}

/** Fast stage limits for tests: accept 1 s, readiness = spin-up + 1 s, leeway 1 s. */
export const FAST_LIMITS_ENV = {
  DYNAMIC_EXECUTOR_RESERVATION_TIME_LIMIT: '1',
  DYNAMIC_EXECUTOR_STARTUP_TIME_LIMIT: '1',
  DYNAMIC_ORGANIC_JOB_ALLOWED_LEEWAY_TIME: '1',
};

export async function startOrganicHarness(opts: { env?: Record<string, string>; client?: Partial<FacilitatorClientOptions> } = {}): Promise<OrganicHarness> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const validator = keyring.addFromUri('//OrganicTestValidator');
  const sdk = keyring.addFromUri('//OrganicTestSdkUser');
  const facilitator = await new SimulatedFacilitator({ validators: [validator.address], sdkSigner: sdk }).start();
  const database = await createThrowawayDatabase('chv_organic');
  const gate = new RecordingCollateralGate();
  const config = testConfig({ FACILITATOR_URI: facilitator.url, ...FAST_LIMITS_ENV, ...opts.env });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ kind: 'postgres', url: database.url }), ObservabilityModule, DynamicConfigModule, OrganicJobsModule, CollateralGateBinding.forRoot({ collateral: 'off' })],
  })
    .overrideProvider(ValidatorHotkey).useValue(new StaticValidatorHotkey(validator))
    .overrideProvider(CollateralGate).useValue(gate)
    .overrideProvider(ROUTING_OPTIONS).useValue({ cacheTtlMs: 0, staleWhileRevalidate: false })
    .overrideProvider(DRIVER_OPTIONS).useValue({ connectRetries: 2, retryBaseDelayMs: 50, retryJitterMs: 10 })
    .overrideProvider(FACILITATOR_CLIENT_OPTIONS).useValue({ uri: facilitator.url, backoffInitialMs: 100, backoffMaxMs: 500, authRefusedBackoffMs: 500, ...opts.client })
    .compile();
  const app = moduleRef.createNestApplication();
  await app.init();
  const db = app.get(DataSource);
  const client = app.get(FacilitatorClientService);
  await app.get(WhitelistService).add(sdk.address);

  return {
    app, db, database, facilitator, client, validator, sdk, gate,
    async registerMiners(horde, only) {
      for (const m of horde.miners) {
        if (only && !only.includes(m.hotkey)) continue;
        await db.query(
          `INSERT INTO miner (hotkey, address, port, ip_version, in_metagraph) VALUES ($1, $2, $3, 4, true)
           ON CONFLICT (hotkey) DO UPDATE SET address = EXCLUDED.address, port = EXCLUDED.port, in_metagraph = true`,
          [m.hotkey, m.host, m.port]);
        for (const [cls, n] of Object.entries(m.manifest)) {
          await db.query(
            `INSERT INTO miner_manifest (miner_id, batch_id, created_at, executor_class, executor_count, online_executor_count)
             SELECT id, NULL, now() - interval '1 minute', $2, $3, $3 FROM miner WHERE hotkey = $1`, [m.hotkey, cls, n]);
        }
      }
    },
    async serveOnly(hotkeys, executorClass, executors = 1) {
      await db.query(`DELETE FROM miner_manifest WHERE executor_class = $1`, [executorClass]);
      await db.query(
        `INSERT INTO miner_manifest (miner_id, batch_id, created_at, executor_class, executor_count, online_executor_count)
         SELECT id, NULL, now() - interval '1 minute', $1, $3, $3 FROM miner WHERE hotkey = ANY($2::text[])`, [executorClass, hotkeys, executors]);
    },
    async close() {
      await client.stop();
      await app.close();
      await facilitator.close();
      await database.drop();
    },
  };
}

export async function jobRow(db: DataSource, uuid: string): Promise<Record<string, unknown> | undefined> {
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT j.*, m.hotkey AS miner_hotkey FROM organic_job j JOIN miner m ON m.id = j.miner_id WHERE j.job_uuid = $1`, [uuid]);
  return rows[0];
}

export async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
