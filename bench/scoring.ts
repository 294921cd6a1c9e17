/**
 * `npm run bench -- scoring [--no-db]`: one scoring window of 256 miners (64 coldkeys),
 * 100 000 synthetic and 10 000 organic jobs.
 *   1. the pure engine + uid weights + burn (what runs for every weight setting);
 *   2. the same window loaded from PostgreSQL through the scoring adapter (skipped with --no-db
 *      or when 127.0.0.1:5432 cannot be reached).
 * Prints wall time and peak RSS. Goal: under 1 s for the scoring itself.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  SyntheticEraScoringEngine,
  scoresToUidWeights,
  u16ForCommit,
  type MainHotkeys,
  type OrganicJobResult,
  type ScoringMiner,
  type SyntheticEraWindow,
  type SyntheticJobResult,
} from '../src/weights/engine';

const MINERS = 256;
const SYNTHETIC = 100_000;
const ORGANIC = 10_000;
const CLASSES = ['spin_up-4min.gpu-24gb', 'always_on.llm.a6000', 'always_on.gpu-24gb'];

function syntheticWindow(): { window: SyntheticEraWindow; main: MainHotkeys } {
  const miners: ScoringMiner[] = Array.from({ length: MINERS }, (_, i) => ({ hotkey: `5Hotkey${String(i).padStart(40, '0')}`, coldkey: `5Coldkey${String(i % 64).padStart(39, '0')}` }));
  const syntheticJobs: SyntheticJobResult[] = Array.from({ length: SYNTHETIC }, (_, i) => ({
    minerHotkey: miners[i % MINERS].hotkey,
    executorClass: CLASSES[i % 7 === 0 ? 1 : 0],
    status: i % 10 === 0 ? 'FAILED' : i % 13 === 0 ? 'EXCUSED' : 'COMPLETED',
    score: i % 10 === 0 ? 0 : 1,
  }));
  const organicJobs: OrganicJobResult[] = Array.from({ length: ORGANIC }, (_, i) => ({
    minerHotkey: miners[(i * 7) % MINERS].hotkey,
    executorClass: CLASSES[i % 3],
    status: i % 9 === 0 ? 'FAILED' : 'COMPLETED',
    cheated: i % 101 === 0,
    onTrustedMiner: i % 97 === 0,
  }));
  const current = new Map<string, string | null>();
  const previous = new Map<string, string | null>();
  for (let c = 0; c < 64; c += 2) {
    current.set(miners[c].coldkey!, miners[c].hotkey);
    previous.set(miners[c].coldkey!, miners[c + 64].hotkey);
  }
  return {
    window: { miners, syntheticJobs, organicJobs, organicJobScore: 1, executorClassWeights: 'spin_up-4min.gpu-24gb=99,always_on.llm.a6000=1' },
    main: { current, previous },
  };
}

function scoreAndWeigh(window: SyntheticEraWindow, main: MainHotkeys) {
  const engine = new SyntheticEraScoringEngine();
  engine.mainHotkeyColdkeys(window);
  const scores = engine.score(window, main);
  const neurons = window.miners.map((m, uid) => ({ hotkey: m.hotkey, uid }));
  const result = scoresToUidWeights(scores, neurons, { minAllowedWeights: 1, maxWeightsLimit: 65535 }, { targets: neurons[5].hotkey, rate: 0.1, partition: 0 }, 6_499_430);
  return { scores, values: u16ForCommit(result.weights) };
}

const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;

async function databasePath(): Promise<void> {
  const { createThrowawayDatabase } = await import('../test/support/postgres');
  const { createDataSource } = await import('../src/database/data-source.factory');
  const { ScoringInputsRepository } = await import('../src/weights/scoring-inputs/scoring-inputs.repository');
  const db = await createThrowawayDatabase('chv_bench');
  const created = await createDataSource({ kind: 'postgres', url: db.url });
  const ds = created.dataSource;
  try {
    const { window } = syntheticWindow();
    const ids: string[] = [];
    for (const m of window.miners) {
      const r = (await ds.query(`INSERT INTO miner (hotkey, coldkey) VALUES ($1, $2) RETURNING id::text AS id`, [m.hotkey, m.coldkey])) as { id: string }[];
      ids.push(r[0].id);
    }
    const cycle = (await ds.query(`INSERT INTO cycle (start, stop) VALUES (6499430, 6500152) RETURNING id::text AS id`)) as { id: string }[];
    const batch = (await ds.query(`INSERT INTO synthetic_job_batch (block, cycle_id, started_at) VALUES (6499454, $1, now()) RETURNING id::text AS id`, [cycle[0].id])) as { id: string }[];
    const t0 = performance.now();
    const CHUNK = 5000;
    for (let off = 0; off < SYNTHETIC; off += CHUNK) {
      const rows = window.syntheticJobs.slice(off, off + CHUNK);
      await ds.query(
        `INSERT INTO synthetic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, executor_class, status, batch_id, score)
         SELECT u, m, '127.0.0.2', 4, 8000, c, s, $5, sc FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $6::float8[]) AS t(u, m, c, s, sc)`,
        [rows.map(() => randomUUID()), rows.map((_, i) => ids[(off + i) % MINERS]), rows.map((r) => r.executorClass), rows.map((r) => r.status), batch[0].id, rows.map((r) => r.score)],
      );
    }
    await ds.query(
      `INSERT INTO organic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, executor_class, status, cheated, on_trusted_miner, block)
       SELECT u, m, '127.0.0.2', 4, 8000, c, s, ch, tr, b FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::bigint[]) AS t(u, m, c, s, ch, tr, b)`,
      [
        window.organicJobs.map(() => randomUUID()),
        window.organicJobs.map((_, i) => ids[(i * 7) % MINERS]),
        window.organicJobs.map((j) => j.executorClass),
        window.organicJobs.map((j) => j.status),
        window.organicJobs.map((j) => j.cheated),
        window.organicJobs.map((j) => j.onTrustedMiner),
        window.organicJobs.map((_, i) => 6499430 + (i % 722)),
      ],
    );
    await ds.query('ANALYZE');
    process.stdout.write(`database: seeded in ${(performance.now() - t0).toFixed(0)} ms\n`);
    const repo = new ScoringInputsRepository(ds);
    const { main } = syntheticWindow();
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      const [miners, organicJobs, syntheticJobs] = await Promise.all([repo.miners(), repo.organicJobs(6499430, 6500152), repo.syntheticJobs(cycle[0].id)]);
      const loaded: SyntheticEraWindow = { miners, organicJobs, syntheticJobs, organicJobScore: 1, executorClassWeights: window.executorClassWeights };
      scoreAndWeigh(loaded, main);
      runs.push(performance.now() - t);
      if (r === 0) process.stdout.write(`database: loaded ${syntheticJobs.length} synthetic and ${organicJobs.length} organic (miner, class) groups\n`);
    }
    process.stdout.write(`database + engine: ${runs.map((x) => x.toFixed(0)).join(' / ')} ms (3 runs), best ${Math.min(...runs).toFixed(0)} ms\n`);
  } finally {
    await created.close();
    await db.drop();
  }
}

export async function main(args: string[]): Promise<void> {
  process.stdout.write(`scoring window: ${MINERS} miners (64 coldkeys), ${SYNTHETIC} synthetic jobs, ${ORGANIC} organic jobs\n`);
  const { window, main: mainHotkeys } = syntheticWindow();
  const runs: number[] = [];
  let out: ReturnType<typeof scoreAndWeigh> | undefined;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    out = scoreAndWeigh(window, mainHotkeys);
    runs.push(performance.now() - t);
  }
  process.stdout.write(`engine + uid weights + burn: first ${runs[0].toFixed(1)} ms, best ${Math.min(...runs).toFixed(1)} ms (5 runs); ${out!.scores.size} hotkeys scored\n`);
  process.stdout.write(`peak RSS after engine: ${mib(process.resourceUsage().maxRSS)}\n`);
  if (!args.includes('--no-db')) {
    try {
      await databasePath();
    } catch (e) {
      process.stdout.write(`database path skipped: ${(e as Error).message}\n`);
    }
    process.stdout.write(`peak RSS: ${mib(process.resourceUsage().maxRSS)}\n`);
  }
  const best = Math.min(...runs);
  process.stdout.write(`goal < 1000 ms: ${best < 1000 ? 'met' : 'NOT met'}\n`);
}
