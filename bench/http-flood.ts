/**
 * `npm run bench -- http-flood [--clients 64] [--seconds 20] [--miners 64] [--executors 4] [--history 200]`
 *
 * Issue 15: a flood of status-page requests made /health answer 503 ("database: no answer within
 * 3000 ms" while PostgreSQL was fine), a synthetic batch was missed and organic jobs were rejected.
 *
 * The real daemon app (AppModule, real PostgreSQL, no chain) runs in a child process; a simulated
 * horde (the synthetic bench's fast miners) in another. The database first gets `--history` past
 * batches of jobs (and as many organic jobs and system events per batch as miners) so the page has
 * a production-sized history to read. Two phases of `--seconds` each:
 *   quiet  : /health probed every 100 ms while one synthetic batch runs against the horde;
 *   flood  : the same, while `--clients` keep-alive clients (a worker thread) request `/`,
 *            `/?partial=1` and `/status.json` (with and without the token) as fast as they can.
 * Prints /health latency (p50, p99, max) and non-200 answers, the batch's wall time and job
 * outcomes, and the flood's request rate and answers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const TOKEN = 'bench-status-token-0123456789abcdef';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

interface BatchDone {
  type: 'batch-done';
  wallMs: number;
  sent: number;
  completed: number;
  failed: number;
}

function nextMessage<T>(proc: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if ((m as { type?: string }).type !== type) return;
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) while waiting for ${type}`));
    proc.on('message', onMessage);
    proc.on('exit', onExit);
  });
}

export async function main(args: string[]): Promise<void> {
  if (args.includes('--daemon')) return daemon();
  const clients = Number(arg(args, 'clients', '64'));
  const seconds = Number(arg(args, 'seconds', '20'));
  const minerCount = Number(arg(args, 'miners', '64'));
  const executors = Number(arg(args, 'executors', '4'));
  const history = Number(arg(args, 'history', '200'));
  const { migratedPostgres } = await import('../test/support/postgres');
  const db = await migratedPostgres();
  const execArgv = ['-r', 'ts-node/register/transpile-only'];
  const horde = fork(join(__dirname, 'run.ts'), ['synthetic', '--child', '--miners', String(minerCount), '--executors', String(executors), '--difficulty', 'minimal', '--horde', 'fast'], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const logPath = join(mkdtempSync(join(tmpdir(), 'chv-flood-log-')), 'validator.log');
  const log = openSync(logPath, 'a');
  const validator = fork(join(__dirname, 'run.ts'), ['http-flood', '--daemon'], {
    execArgv,
    env: { ...process.env, BENCH_DATABASE_URL: db.url, BENCH_HISTORY: String(history), BENCH_EXECUTORS: String(executors), LOG_LEVEL: 'error' },
    // its logs (the chain it cannot reach, mostly) would bury the numbers
    stdio: ['ignore', log, log, 'ipc'],
  });
  try {
    const ready = await nextMessage<{ miners: { hotkey: string; host: string; port: number }[] }>(horde, 'ready');
    validator.send({ type: 'miners', miners: ready.miners });
    const { port } = await nextMessage<{ port: number }>(validator, 'listening');
    const base = `http://127.0.0.1:${port}`;
    process.stdout.write(`http-flood: daemon on ${base}, ${minerCount} miners × ${executors} executors, ${history} past batches in the database, ${clients} flood clients, ${seconds} s per phase\n`);

    const quiet = await phase(validator, base, seconds, 0);
    const flood = await phase(validator, base, seconds, clients);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const rows = [
      ['phase', '/health p50', 'p99', 'max', 'non-200', 'probes', 'batch wall', 'jobs ok/failed', 'flood req/s', 'flood answers'],
      ...[['quiet', quiet], ['flood', flood]].map(([name, r]) => {
        const p = r as PhaseResult;
        return [
          name as string, ms(p.health.p50), ms(p.health.p99), ms(p.health.max), String(p.health.bad), String(p.health.n),
          `${(p.batch.wallMs / 1000).toFixed(2)} s`, `${p.batch.completed}/${p.batch.failed} of ${p.batch.sent}`,
          p.flood ? (p.flood.requests / seconds).toFixed(0) : '-', p.flood ? JSON.stringify(p.flood.statuses) : '-',
        ];
      }),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n')}\nvalidator log: ${logPath}\n`);
  } catch (e) {
    process.stderr.write(`validator log: ${logPath}\n`);
    throw e;
  } finally {
    validator.kill('SIGTERM');
    horde.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db.close();
  }
}

interface PhaseResult {
  health: { p50: number; p99: number; max: number; bad: number; n: number };
  batch: BatchDone;
  flood?: { requests: number; statuses: Record<string, number> };
}

/** One phase: /health probes and one batch, with `clients` flooding the status page (0: none). */
async function phase(validator: ChildProcess, base: string, seconds: number, clients: number): Promise<PhaseResult> {
  const until = Date.now() + seconds * 1000;
  const flood = clients > 0 ? startFlood(base, clients, seconds) : null;
  await new Promise((r) => setTimeout(r, clients > 0 ? 1000 : 0)); // let the flood build up first
  validator.send({ type: 'batch' });
  const batchDone = nextMessage<BatchDone>(validator, 'batch-done');
  const latencies: number[] = [];
  let bad = 0;
  while (Date.now() < until) {
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status !== 200) bad++;
    } catch {
      bad++;
    }
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 100));
  }
  const batch = await batchDone;
  const floodResult = flood ? await flood : undefined;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { health: { p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1], bad, n: latencies.length }, batch, flood: floodResult };
}

/** The flood runs on its own thread (own event loop): the probe's timings are the daemon's, not ours. */
function startFlood(base: string, clients: number, seconds: number): Promise<{ requests: number; statuses: Record<string, number> }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { base, clients, seconds, token } = workerData;
    const paths = [['/', {}], ['/?partial=1', { Authorization: 'Bearer ' + token }], ['/status.json', {}], ['/status.json', { Authorization: 'Bearer ' + token }], ['/', { Authorization: 'Bearer ' + token }]];
    const until = Date.now() + seconds * 1000;
    let requests = 0;
    const statuses = {};
    async function client(i) {
      for (let k = i; Date.now() < until; k++) {
        const [path, headers] = paths[k % paths.length];
        try {
          const res = await fetch(base + path, { headers, signal: AbortSignal.timeout(15000) });
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] || 0) + 1;
        } catch (e) {
          statuses[e.name] = (statuses[e.name] || 0) + 1;
        }
        requests++;
      }
    }
    Promise.all(Array.from({ length: clients }, (_, i) => client(i))).then(() => parentPort.postMessage({ requests, statuses }));
  `;
  const worker = new Worker(code, { eval: true, workerData: { base, clients, seconds, token: TOKEN } });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { requests: number; statuses: Record<string, number> }) => {
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', reject);
  });
}

/** The validator process: the daemon app with its HTTP server, running a batch when asked. */
async function daemon(): Promise<void> {
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../src/app.module');
  const { AppConfig } = await import('../src/config/app-config');
  const { setupApp } = await import('../src/setup-app');
  const { DataSource } = await import('typeorm');
  const { Miner } = await import('../src/miners/registry/miner.entity');
  const { SyntheticBatchRunnerService } = await import('../src/synthetic-jobs/batch-run/batch-runner.service');
  const { writeBtcliWallet } = await import('../src/chain/wallet/btcli-wallet');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { randomBytes } = await import('node:crypto');
  const { miners } = await new Promise<{ miners: { hotkey: string; host: string; port: number }[] }>((resolve) =>
    process.once('message', (m) => resolve(m as { miners: { hotkey: string; host: string; port: number }[] })),
  );
  const wallets = mkdtempSync(join(tmpdir(), 'chv-flood-'));
  await writeBtcliWallet({ directory: wallets, walletName: 'bench', hotkeyName: 'bench', secret: randomBytes(32) });
  const config = AppConfig.fromEnv({
    ENV: 'bench', LOG_LEVEL: 'error', STATUS_PAGE_TOKEN: TOKEN, BITTENSOR_NETWORK: 'ws://127.0.0.1:9', FACILITATOR_URI: '', STATS_COLLECTOR_URL: '',
    BITTENSOR_WALLET_DIRECTORY: wallets, BITTENSOR_WALLET_NAME: 'bench', BITTENSOR_WALLET_HOTKEY_NAME: 'bench', DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: 'minimal',
  });
  const app = await NestFactory.create(AppModule.forRoot({ config, database: { kind: 'postgres', url: process.env.BENCH_DATABASE_URL as string } }), { logger: ['error'] });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  const ds = app.get(DataSource);
  await ds.getRepository(Miner).insert(miners.map((m, i) => ({ hotkey: m.hotkey, uid: i + 1, address: m.host, port: m.port, ipVersion: 4, inMetagraph: true })));
  await fillHistory(ds, Number(process.env.BENCH_HISTORY ?? 0), Number(process.env.BENCH_EXECUTORS ?? 4));
  const runner = app.get(SyntheticBatchRunnerService);
  await runner.warmUp();
  let block = 1000;
  process.on('message', (m: { type?: string }) => {
    if (m.type !== 'batch') return;
    void (async () => {
      const batch = await runner.createBatch(block++, { shouldBeScored: false });
      const t0 = performance.now();
      const report = await runner.runBatch(batch.id);
      const totals = report.rows.reduce((a, r) => ({ sent: a.sent + r.sent, completed: a.completed + r.completed, failed: a.failed + r.failed }), { sent: 0, completed: 0, failed: 0 });
      process.send?.({ type: 'batch-done', wallMs: performance.now() - t0, ...totals });
    })();
  });
  process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
  process.send?.({ type: 'listening', port: (app.getHttpServer().address() as { port: number }).port });
  await new Promise(() => undefined);
}

/** Past batches (one per 722-block cycle, every miner × executor a job, 10 % failed), organic jobs and events. */
async function fillHistory(ds: import('typeorm').DataSource, batches: number, executors: number): Promise<void> {
  if (batches <= 0) return;
  await ds.query(`INSERT INTO cycle (start, stop) SELECT 100000 + g * 722, 100000 + g * 722 + 722 FROM generate_series(1, $1) g`, [batches]);
  await ds.query(
    `INSERT INTO synthetic_job_batch (block, cycle_id, created_at, started_at, accepting_results_until, scored)
     SELECT c.start + 30, c.id, now() - make_interval(hours => (($1 - (c.start - 100000) / 722) * 2)::int), now() - make_interval(hours => (($1 - (c.start - 100000) / 722) * 2)::int),
            now() - make_interval(hours => (($1 - (c.start - 100000) / 722) * 2)::int) + interval '3 minutes', true
       FROM cycle c WHERE c.start > 100000`, [batches]);
  await ds.query(
    `INSERT INTO synthetic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, status, comment, batch_id, score, failure_kind)
     SELECT gen_random_uuid(), m.id, m.address, 4, m.port, CASE WHEN random() < 0.9 THEN 'COMPLETED' ELSE 'FAILED' END, 'history', b.id, 1, NULL
       FROM synthetic_job_batch b CROSS JOIN miner m CROSS JOIN generate_series(1, $1) e WHERE b.block > 100000`, [executors]);
  await ds.query(
    `INSERT INTO organic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, status, comment, updated_at)
     SELECT gen_random_uuid(), m.id, m.address, 4, m.port, CASE WHEN random() < 0.8 THEN 'COMPLETED' ELSE 'FAILED' END, 'history', now() - make_interval(mins => g::int)
       FROM miner m CROSS JOIN generate_series(1, $1) g`, [batches]);
  await ds.query(
    `INSERT INTO system_event (type, subtype, long_description, data, sent)
     SELECT 'VALIDATOR_TELEMETRY', 'SYNTHETIC_JOB', 'job telemetry', '{}'::jsonb, true FROM miner m CROSS JOIN generate_series(1, $1) g`, [batches]);
  await ds.query('ANALYZE');
}
