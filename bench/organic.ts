/**
 * `npm run bench -- organic [jobs] [rate] [miners]`: organic jobs from the simulated facilitator through the
 * validator (real PostgreSQL, real WebSockets) to simulated miners. Prints p50/p99 of
 *   A: job request received by the validator -> initial job request sent to the miner
 *   B: miner's final answer received -> final status update sent to the facilitator
 * Defaults: 1000 jobs at 50 jobs/s to 64 miners. Goal: p99 < 20 ms for both.
 */
import { PEERS_USE_WASM_SR25519 } from './support/fast-sr25519-for-peers';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { StaticValidatorHotkey, ValidatorHotkey } from '../src/chain/validator-hotkey';
import { AppConfig } from '../src/config/app-config';
import { ConfigModule } from '../src/config/config.module';
import { DynamicConfigModule } from '../src/config/dynamic/dynamic-config.module';
import { DatabaseModule } from '../src/database/database.module';
import { ObservabilityModule } from '../src/observability/observability.module';
import { OrganicJobsModule } from '../src/organic-jobs/organic-jobs.module';
import { CollateralGateBinding } from '../src/wiring/collateral-gate.binding';
import { FACILITATOR_CLIENT_OPTIONS, FacilitatorClientService } from '../src/organic-jobs/facilitator/facilitator-client.service';
import { WhitelistService } from '../src/organic-jobs/trust/whitelist.service';
import { SimulatedFacilitator } from '../src/devnet/facilitator/simulated-facilitator';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEVNET_ECHO_HASH_IMAGE } from '../src/devnet/miners';
import { createThrowawayDatabase } from '../test/support/postgres';

interface Timing { routed?: number; received?: number; initialSent?: number; answer?: number; finalSent?: number; status?: string }

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function main(args: string[]): Promise<void> {
  const jobs = Number(args[0] ?? 1000);
  const rate = Number(args[1] ?? 50);
  const minerCount = Number(args[2] ?? 64);
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const validator = keyring.addFromUri('//BenchValidator');
  const sdk = keyring.addFromUri('//BenchSdkUser');
  const facilitator = await new SimulatedFacilitator({ validators: [validator.address], sdkSigner: sdk }).start();
  // The simulated miners run on a worker thread: on this 2-core machine they would otherwise share the
  // validator's event loop, and the benchmark would measure them.
  const worker = new Worker(`require('ts-node/register/transpile-only'); require(${JSON.stringify(join(__dirname, 'support/horde-worker.ts'))});`, {
    eval: true, workerData: { miners: minerCount, executors: 4 },
  });
  const started = await new Promise<{ miners: { hotkey: string; host: string; port: number }[] }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const horde = {
    miners: started.miners,
    stop: async () => {
      const stopped = new Promise((r) => worker.once('message', r));
      worker.postMessage('stop');
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 5000))]);
      await worker.terminate();
    },
  };
  const database = await createThrowawayDatabase('chv_bench_organic');
  const timings = new Map<string, Timing>();
  const t = (uuid: string) => timings.get(uuid) ?? (timings.set(uuid, {}), timings.get(uuid)!);
  const END = new Set(['completed', 'rejected', 'failed', 'horde_failed']);

  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(AppConfig.fromEnv({ LOG_LEVEL: 'error', FACILITATOR_URI: facilitator.url })),
      DatabaseModule.forRoot({ kind: 'postgres', url: database.url }), ObservabilityModule, DynamicConfigModule, OrganicJobsModule,
      CollateralGateBinding.forRoot({ collateral: 'off' }),
    ],
  })
    .overrideProvider(ValidatorHotkey).useValue(new StaticValidatorHotkey(validator))
    .overrideProvider(FACILITATOR_CLIENT_OPTIONS).useValue({
      maxConcurrentJobs: Number(process.env.BENCH_MAX_CONCURRENT_JOBS ?? 200),
      jobHooks: (uuid: string) => {
        t(uuid).received = performance.now();
        return { onRouted: () => (t(uuid).routed = performance.now()), onInitialRequestSent: () => (t(uuid).initialSent = performance.now()), onFinalMinerMessage: () => (t(uuid).answer = performance.now()) };
      },
      onStatusSent: (u: { uuid: string; status: string }) => {
        if (END.has(u.status)) Object.assign(t(u.uuid), { finalSent: performance.now(), status: u.status });
      },
    })
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  try {
    const db = app.get(DataSource);
    await app.get(WhitelistService).add(sdk.address);
    for (const m of horde.miners) {
      await db.query(`INSERT INTO miner (hotkey, address, port, in_metagraph) VALUES ($1, $2, $3, true)`, [m.hotkey, m.host, m.port]);
      await db.query(`INSERT INTO miner_manifest (miner_id, created_at, executor_class, executor_count, online_executor_count)
        SELECT id, now() - interval '1 minute', 'always_on.test', 4, 4 FROM miner WHERE hotkey = $1`, [m.hotkey]);
    }
    const client = app.get(FacilitatorClientService);
    client.start();
    await client.whenConnected();
    // warm-up (JIT, connection pools)
    for (let i = 0; i < 20; i++) await facilitator.waitForEnd(facilitator.submitJob(validator.address, { executorClass: 'always_on.test', dockerImage: DEVNET_ECHO_HASH_IMAGE }), 30_000);
    timings.clear();

    process.stdout.write(`organic: ${jobs} jobs at ${rate} jobs/s to ${minerCount} simulated miners (4 executors each, on a worker thread), PostgreSQL; simulated peers sr25519 in wasm: ${PEERS_USE_WASM_SR25519}\n`);
    const uuids: string[] = [];
    const start = performance.now();
    for (let i = 0; i < jobs; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      uuids.push(facilitator.submitJob(validator.address, { executorClass: 'always_on.test', dockerImage: DEVNET_ECHO_HASH_IMAGE, args: [String(i)] }));
    }
    await Promise.all(uuids.map((u) => facilitator.waitForEnd(u, 120_000)));
    const elapsed = (performance.now() - start) / 1000;

    const a: number[] = [];
    const b: number[] = [];
    const onMiner: number[] = [];
    const toRouted: number[] = [];
    const outcomes = new Map<string, number>();
    for (const u of uuids) {
      const x = timings.get(u) ?? {};
      outcomes.set(x.status ?? 'unknown', (outcomes.get(x.status ?? 'unknown') ?? 0) + 1);
      if (x.received !== undefined && x.initialSent !== undefined) a.push(x.initialSent - x.received);
      if (x.answer !== undefined && x.finalSent !== undefined) b.push(x.finalSent - x.answer);
      if (x.initialSent !== undefined && x.answer !== undefined) onMiner.push(x.answer - x.initialSent);
      if (x.received !== undefined && x.routed !== undefined) toRouted.push(x.routed - x.received);
    }
    a.sort((p, q) => p - q);
    onMiner.sort((p, q) => p - q);
    toRouted.sort((p, q) => p - q);
    b.sort((p, q) => p - q);
    const fmt = (v: number) => `${v.toFixed(2)} ms`;
    process.stdout.write(`outcomes: ${[...outcomes].map(([k, v]) => `${k}=${v}`).join(', ')}; wall time ${elapsed.toFixed(1)} s\n`);
    process.stdout.write(`A request received -> initial request sent   (n=${a.length}): p50 ${fmt(percentile(a, 50))}  p99 ${fmt(percentile(a, 99))}  max ${fmt(a[a.length - 1])}\n`);
    process.stdout.write(`B miner answer -> final status sent          (n=${b.length}): p50 ${fmt(percentile(b, 50))}  p99 ${fmt(percentile(b, 99))}  max ${fmt(b[b.length - 1])}\n`);
    process.stdout.write(`(A split) request received -> miner picked: p50 ${fmt(percentile(toRouted, 50))}  p99 ${fmt(percentile(toRouted, 99))}\n`);
    process.stdout.write(`(for context) initial request sent -> miner's final answer: p50 ${fmt(percentile(onMiner, 50))}  p99 ${fmt(percentile(onMiner, 99))}\n`);
    process.stdout.write(`goal p99 < 20 ms: A ${percentile(a, 99) < 20 ? 'met' : 'NOT met'}, B ${percentile(b, 99) < 20 ? 'met' : 'NOT met'}\n`);
    await client.stop();
  } finally {
    await app.close();
    await horde.stop();
    await facilitator.close();
    await database.drop();
  }
}
