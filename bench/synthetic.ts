/**
 * `npm run bench -- synthetic [--miners 256] [--executors 8] [--difficulty minimal|devnet|production]`
 *
 * One synthetic batch against a simulated horde (default 256 miners × 8 executors = 2,048 jobs) on
 * loopback, the horde in a child process so that the numbers are the validator's own. Prints the batch
 * wall time, the validator's CPU seconds and peak RSS, and the overhead (wall time minus the slowest
 * miner's own delays, i.e. the longest time one simulated executor spent computing its answer).
 *
 * The horde runs at nice 10 (BENCH_HORDE_NICE): the miners stand for other machines, so on this 2-core
 * box they yield the CPU to the validator and its signing threads. The validator's signatures are
 * printed by thread (the signing threads are started before the clock, as the daemon does when a
 * batch is due).
 *
 * Difficulty: minimal/devnet use the CPU hashcat executor (correct answers). production generates
 * full-size jobs (100 hashes per stage, ~65 kB payloads) that no CPU can crack: the horde answers
 * at once with a wrong answer, which exercises the same validator path with real payload sizes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setPriority } from 'node:os';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

interface HordeReady {
  type: 'ready';
  miners: { hotkey: string; host: string; port: number }[];
}
interface HordeStats {
  type: 'stats';
  maxRunnerMs: number;
  jobsRun: number;
  /** The horde process's CPU seconds since it was ready (it shares the machine with the validator). */
  cpuSeconds: number;
}

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

export async function main(args: string[]): Promise<void> {
  if (args.includes('--child')) return child(args);
  const minerCount = Number(arg(args, 'miners', '256'));
  const executors = Number(arg(args, 'executors', '8'));
  const difficulty = arg(args, 'difficulty', 'minimal');
  const hordeKind = arg(args, 'horde', 'fast');

  const { migratedPostgres } = await import('../test/support/postgres');
  const { AppConfig } = await import('../src/config/app-config');
  const { SystemClock } = await import('../src/config/clock');
  const { DynamicConfigService } = await import('../src/config/dynamic/dynamic-config.service');
  const { StaticValidatorHotkey } = await import('../src/chain/validator-hotkey');
  const { MinerConnection } = await import('../src/miners/connection');
  const { Miner } = await import('../src/miners/registry/miner.entity');
  const { SyntheticBatchRunnerService } = await import('../src/synthetic-jobs/batch-run/batch-runner.service');
  const { SyntheticMinersService } = await import('../src/synthetic-jobs/participants/synthetic-miners.service');
  const { SyntheticBatchRepository } = await import('../src/synthetic-jobs/persistence/synthetic-batch.repository');
  const { MinerManifestRepository } = await import('../src/synthetic-jobs/persistence/miner-manifest.repository');
  const { BatchSystemEventsRepository } = await import('../src/synthetic-jobs/persistence/batch-system-events.repository');
  const { BatchMinersRepository } = await import('../src/synthetic-jobs/persistence/batch-miners.repository');

  await cryptoWaitReady();
  // The miners run in BENCH_HORDE_PROCS processes (default 2): 256 miners are 256 machines, and one
  // process would serialise their work; each process gets an equal share of the miners.
  const procs = Math.max(1, Math.min(minerCount, Number(process.env.BENCH_HORDE_PROCS ?? 2)));
  const hordes = Array.from({ length: procs }, (_, i) => {
    const share = Math.floor(minerCount / procs) + (i < minerCount % procs ? 1 : 0);
    return fork(join(__dirname, 'run.ts'), ['synthetic', '--child', '--miners', String(share), '--executors', String(executors), '--difficulty', difficulty, '--horde', hordeKind], {
      execArgv: ['-r', 'ts-node/register/transpile-only', ...(process.env.BENCH_PROFILE_HORDE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_HORDE}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  });
  const readies = await Promise.all(hordes.map((h) => nextMessage<HordeReady>(h, 'ready')));
  const ready = { miners: readies.flatMap((r) => r.miners) };
  // The miners stand for other machines: on this shared 2-core box they yield to the validator's threads.
  for (const h of hordes) if (h.pid !== undefined && process.env.BENCH_HORDE_NICE !== '0') setPriority(h.pid, Number(process.env.BENCH_HORDE_NICE ?? 10));
  const db = await migratedPostgres();
  try {
    const repo = db.dataSource.getRepository(Miner);
    for (let i = 0; i < ready.miners.length; i += 200) {
      await repo.insert(ready.miners.slice(i, i + 200).map((m, k) => ({ hotkey: m.hotkey, uid: i + k, address: m.host, port: m.port, ipVersion: 4, inMetagraph: true })));
    }
    const config = AppConfig.fromEnv({ LOG_LEVEL: 'error', DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: difficulty === 'production' ? '' : difficulty });
    const clock = new SystemClock();
    const dynamic = new DynamicConfigService(db.dataSource, config, clock);
    const hotkey = new StaticValidatorHotkey(new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice'));
    const runner = new SyntheticBatchRunnerService(new SyntheticBatchRepository(db.dataSource), new MinerManifestRepository(db.dataSource), new BatchSystemEventsRepository(db.dataSource), config, clock, dynamic, hotkey, new SyntheticMinersService(new BatchMinersRepository(db.dataSource), config), (o) => new MinerConnection(o));
    const batch = await runner.createBatch(1000, { shouldBeScored: false });
    // As in the daemon, which starts the signing threads when a batch is due: steady state, not boot.
    await runner.warmUp();

    // The bench runs under ts-node (the TypeScript compiler stays loaded) with the signing threads up:
    // this is the process before the batch, to tell the batch's own memory from the harness's.
    const rssBeforeMb = process.memoryUsage().rss / 1048576;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await runner.runBatch(batch.id, process.env.BENCH_TRACE ? { onProgress: (p) => { const m = process.memoryUsage(); process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(3)} rss=${(m.rss / 1048576).toFixed(0)} heap=${(m.heapUsed / 1048576).toFixed(0)} ext=${(m.external / 1048576).toFixed(0)} ab=${(m.arrayBuffers / 1048576).toFixed(0)} ${JSON.stringify(p)}\n`); } } : {});
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);

    const all = await Promise.all(hordes.map((h) => (h.send({ type: 'stats?' }), nextMessage<HordeStats>(h, 'stats'))));
    const stats = {
      maxRunnerMs: Math.max(...all.map((x) => x.maxRunnerMs)),
      jobsRun: all.reduce((acc, x) => acc + x.jobsRun, 0),
      cpuSeconds: all.reduce((acc, x) => acc + x.cpuSeconds, 0),
    };
    const totals = report.rows.reduce((acc, r) => ({ sent: acc.sent + r.sent, completed: acc.completed + r.completed, failed: acc.failed + r.failed }), { sent: 0, completed: 0, failed: 0 });
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const signing = runner.signingCounts();
    const overheadMs = wallMs - stats.maxRunnerMs;
    const lines = [
      `synthetic batch: ${ready.miners.length} miners × ${executors} executors, difficulty ${difficulty}, horde ${hordeKind}`,
      `jobs sent ${totals.sent}, completed ${totals.completed}, failed ${totals.failed} (executor runs: ${stats.jobsRun})`,
      `batch wall time        ${(wallMs / 1000).toFixed(2)} s`,
      `validator CPU          ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)}, system ${(cpu.system / 1e6).toFixed(2)})`,
      `validator peak RSS     ${peakRssMb.toFixed(0)} MB (${rssBeforeMb.toFixed(0)} MB before the batch: ts-node, signing threads, connections pool)`,
      `simulated horde CPU    ${stats.cpuSeconds.toFixed(2)} s (${procs} other processes at nice ${process.env.BENCH_HORDE_NICE ?? 10}, same 2 cores)`,
      `slowest miner's delays ${(stats.maxRunnerMs / 1000).toFixed(3)} s (longest executor computation)`,
      `signatures            ${signing ? `${signing.onWorkers} on signing threads, ${signing.here} on the main thread` : 'main thread (no signing threads)'}`,
      `of which persistence   ${((report.persistMs ?? 0) / 1000).toFixed(2)} s (jobs, manifests, events)`,
      `overhead               ${(overheadMs / 1000).toFixed(2)} s   (goal < 2 s; RSS goal < 400 MB)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await runner.onModuleDestroy();
  } finally {
    for (const h of hordes) h.kill('SIGTERM');
    await db.close();
  }
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

function nextMessage<T extends { type: string }>(proc: ChildProcess, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if ((m as { type?: string }).type === type) {
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        resolve(m as T);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`simulated horde exited (${code})`));
    proc.on('message', onMessage);
    proc.on('exit', onExit);
  });
}

/** The horde process: protocol responders (fast) or the devnet's simulated miners, with a timed hashcat runner. */
async function child(args: string[]): Promise<void> {
  if (arg(args, 'horde', 'fast') === 'fast') return fastHorde(args);
  const { startSimulatedHorde } = await import('../src/devnet/miners');
  const { HashcatRunner } = await import('../src/devnet/executors/hashcat.runner');
  const minerCount = Number(arg(args, 'miners', '256'));
  const executors = Number(arg(args, 'executors', '8'));
  const difficulty = arg(args, 'difficulty', 'minimal');
  const stats = { maxRunnerMs: 0, jobsRun: 0 };
  const inner = new HashcatRunner();
  const runner = {
    name: 'timed-hashcat',
    canRun: inner.canRun.bind(inner),
    run: async (...a: Parameters<typeof inner.run>) => {
      const t0 = performance.now();
      // production difficulty cannot be cracked on a CPU: answer at once (wrong), as a real miner that gave up.
      const out = difficulty === 'production' ? { stdout: 'unsolved\n' } : await inner.run(...a);
      stats.maxRunnerMs = Math.max(stats.maxRunnerMs, performance.now() - t0);
      stats.jobsRun++;
      return out;
    },
  };
  await cryptoWaitReady();
  const horde = await startSimulatedHorde({
    miners: Array.from({ length: minerCount }, () => ({ executors, executorClass: 'spin_up-4min.gpu-24gb' as const })),
    defaults: { runners: [runner] },
  });
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stats?') process.send?.({ type: 'stats', ...stats, cpuSeconds: cpuSince(cpuAtReady) });
  });
  const cpuAtReady = process.cpuUsage();
  process.on('SIGTERM', () => {
    void horde.stop().finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready', miners: horde.miners.map((m) => ({ hotkey: m.hotkey, host: m.host, port: m.port })) });
  await new Promise(() => undefined);
}

/**
 * A horde that answers every message at once and skips the miner's signature checks and
 * countersignatures (the devnet simulated miner does them in pure-JS sr25519, ~7 ms each, which on
 * this 2-core machine would measure the horde, not the validator). Same wire messages otherwise.
 */
async function fastHorde(args: string[]): Promise<void> {
  const { WebSocketServer } = await import('ws');
  const { encodeAddress } = await import('@polkadot/util-crypto');
  const { randomBytes } = await import('node:crypto');
  const { solveHashcatPayload } = await import('../src/devnet/executors/hashcat-solver');
  const { readZip: unzip } = await import('../src/common/zip');
  const minerCount = Number(arg(args, 'miners', '256'));
  const executors = Number(arg(args, 'executors', '8'));
  const difficulty = arg(args, 'difficulty', 'minimal');
  const stats = { maxRunnerMs: 0, jobsRun: 0 };
  await cryptoWaitReady();
  const servers: InstanceType<typeof WebSocketServer>[] = [];
  const miners: { hotkey: string; host: string; port: number }[] = [];
  for (let i = 0; i < minerCount; i++) {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 50 * 1024 * 1024 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    servers.push(wss);
    miners.push({ hotkey: encodeAddress(randomBytes(32), 42), host: '127.0.0.1', port: (wss.address() as { port: number }).port });
    wss.on('connection', (ws) => {
      const early = new Map<string, string>();
      const send = (m: object) => ws.send(JSON.stringify(m));
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as Record<string, unknown> & { message_type: string; job_uuid?: string };
        if (m.message_type === 'ValidatorAuthForMiner') {
          send({ message_type: 'V0ExecutorManifestRequest', manifest: { 'spin_up-4min.gpu-24gb': executors } });
        } else if (m.message_type === 'V0InitialJobRequest') {
          const v = m.volume as { volume_type?: string; contents?: string } | null;
          if (v?.volume_type === 'inline' && v.contents) early.set(m.job_uuid as string, v.contents);
          send({ message_type: 'V0AcceptJobRequest', job_uuid: m.job_uuid });
          send({ message_type: 'V0ExecutorReadyRequest', job_uuid: m.job_uuid, executor_token: null });
        } else if (m.message_type === 'V0JobRequest') {
          const t0 = performance.now();
          let stdout = 'unsolved\n';
          if (difficulty !== 'production') {
            const v = m.volume as { contents?: string } | null;
            const zip = v?.contents ?? early.get(m.job_uuid as string) ?? '';
            const payload = unzip(Buffer.from(zip, 'base64')).get('payload.txt') as Buffer;
            stdout = solveHashcatPayload(payload, m.docker_run_cmd as string[]);
          }
          stats.maxRunnerMs = Math.max(stats.maxRunnerMs, performance.now() - t0);
          stats.jobsRun++;
          send({ message_type: 'V0JobFinishedRequest', job_uuid: m.job_uuid, docker_process_stdout: stdout, docker_process_stderr: '', artifacts: {}, upload_results: {} });
        }
      });
    });
  }
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stats?') process.send?.({ type: 'stats', ...stats, cpuSeconds: cpuSince(cpuAtReady) });
  });
  const cpuAtReady = process.cpuUsage();
  process.on('SIGTERM', () => {
    for (const s of servers) s.close();
    process.exit(0);
  });
  process.send?.({ type: 'ready', miners });
  await new Promise(() => undefined);
}
