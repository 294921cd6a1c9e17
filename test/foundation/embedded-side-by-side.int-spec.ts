import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '../../src/devnet/chain/local-chain';
import { S3Peer, uniqueBucketName } from '../../src/devnet/s3-peer/ceph-s3-peer';
import { readPostmasterPid } from '../../src/database/embedded/postmaster-pid';
import { embeddedDataDir } from '../support/postgres';
import { runCli, spawnEntry, Spawned, waitForHttp } from '../support/processes';

jest.setTimeout(400_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function waitFor(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The embedded default as an operator uses it: the daemon (src/main.ts, no DATABASE_URL) and
 * validator-cli commands at the same time on one DATA_DIR, against a real chain and a real S3 store;
 * then crashes (kill -9) of the daemon and of a CLI command, and a lock file left by a reused pid.
 */
describe('daemon and validator-cli side by side on the embedded PostgreSQL', () => {
  let chain: LocalChain;
  let peer: S3Peer;
  const data = embeddedDataDir('chv-side-by-side-');
  const cwd = mkdtempSync(join(tmpdir(), 'chv-side-cwd-'));
  const cluster = join(data.dataDir, 'postgres');
  let env: Record<string, string>;
  let url: string;
  let daemon: Spawned | undefined;

  const startDaemon = async () => {
    daemon = spawnEntry('src/main.ts', [], env, { cwd });
    await waitForHttp(`${url}/health`, daemon);
    return daemon;
  };

  beforeAll(async () => {
    const prompts = uniqueBucketName('side-prompts');
    const answers = uniqueBucketName('side-answers');
    [chain, peer] = await Promise.all([LocalChain.start({ miners: 2 }), S3Peer.acquire()]);
    await Promise.all([peer.createBucket(prompts), peer.createBucket(answers)]);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      ...(await chain.validatorEnv(join(data.dataDir, 'wallets'))),
      ...peer.env({ prompts, answers }),
      DATA_DIR: data.dataDir,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      FACILITATOR_URI: `ws://127.0.0.1:${await freePort()}/`,
    };
  });

  afterAll(async () => {
    if (daemon && daemon.child.exitCode === null) {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    const left = readPostmasterPid(cluster);
    if (left) process.kill(left.pid, 'SIGTERM');
    await chain?.stop();
    await peer?.release();
    data.remove();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('runs config set, check-s3-setup and sync-metagraph while the daemon runs, on the daemon\'s server', async () => {
    await startDaemon();
    const server = readPostmasterPid(cluster);
    expect(server?.status).toBe('ready');

    const set = await runCli(['config', 'set', 'DYNAMIC_BURN_RATE', '0.4'], env, { cwd });
    expect(set).toMatchObject({ code: 0, stdout: 'DYNAMIC_BURN_RATE = 0.4 (override)\n' });
    const s3 = await runCli(['check-s3-setup'], env, { cwd });
    expect(s3.code).toBe(0);
    const sync = await runCli(['sync-metagraph'], env, { cwd });
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/block \d+: 3 neurons/);

    // the commands joined the daemon's server and left it running
    expect(readPostmasterPid(cluster)?.pid).toBe(server?.pid);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const get = await runCli(['config', 'get', 'DYNAMIC_BURN_RATE'], env, { cwd });
    expect(get.stdout).toBe('DYNAMIC_BURN_RATE = 0.4 (override)\n');
  });

  it('restarts after a kill -9 of the daemon: the next daemon adopts the server; a clean stop stops it', async () => {
    const server = readPostmasterPid(cluster);
    daemon!.child.kill('SIGKILL');
    await daemon!.exited;
    await startDaemon();
    expect(readPostmasterPid(cluster)?.pid).toBe(server?.pid);

    daemon!.child.kill('SIGTERM');
    const stopped = await daemon!.exited;
    expect(stopped.code === 0 || stopped.signal === 'SIGTERM').toBe(true);
    expect(`${stopped.stdout}${stopped.stderr}`).not.toContain('could not stop the embedded PostgreSQL');
    await waitFor('the server to stop', () => !existsSync(join(cluster, 'postmaster.pid')));
  });

  it('a CLI command alone starts the server and stops it; after a kill -9 of a CLI command the daemon still starts', async () => {
    const list = await runCli(['config', 'list'], env, { cwd });
    expect(list.code).toBe(0);
    expect(existsSync(join(cluster, 'postmaster.pid'))).toBe(false);

    // a long-running command holds the server when it is killed
    const cli = spawnEntry('src/cli.ts', ['connect-facilitator'], env, { cwd });
    await waitFor('the command to open the database', () => cli.output().stderr.includes('connecting to'), 120_000);
    cli.child.kill('SIGKILL');
    await cli.exited;
    await startDaemon();
    daemon!.child.kill('SIGTERM');
    await daemon!.exited;
    await waitFor('the server to stop', () => !existsSync(join(cluster, 'postmaster.pid')));
  });

  it('starts over a lock file whose pid now belongs to another program (pid reuse after a crash)', async () => {
    // this test process is alive and is not a postgres server for the cluster
    writeFileSync(join(cluster, 'postmaster.pid'), `${process.pid}\n${cluster}\n0\n5432\n${cluster}\n\n0 0\nready   \n`);
    const get = await runCli(['config', 'get', 'DYNAMIC_BURN_RATE'], env, { cwd });
    expect(get).toMatchObject({ code: 0, stdout: 'DYNAMIC_BURN_RATE = 0.4 (override)\n' });
    expect(get.stderr).toContain('removing the lock file of a PostgreSQL server that is gone');
  });
});
