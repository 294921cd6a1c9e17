import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { locatePostgresBinaries, type PostgresBinaries } from './postgres-binaries';
import { firstBlockedDirectory, serverUser, type ServerUser } from './os-user';
import { readPostmasterPid, postmasterState } from './postmaster-pid';

/** The server listens on a Unix socket only: no TCP port, so nothing can collide with another server. */
const SOCKET_PORT = 5432;
const READY_TIMEOUT_MS = 60_000;
const STOP_WAIT_MS = 15_000;
/** application_name of the short connection that decides whether anyone else still uses the server. */
const RELEASE_CHECK_APP = 'compute-horde-validator:release-check';

export interface EmbeddedConnection {
  /** Directory of the server's Unix socket (node-postgres takes it as `host`). */
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface EmbeddedServerLog {
  log(line: string): void;
  warn(line: string): void;
}

/**
 * A real PostgreSQL server for one data directory (`DATA_DIR/postgres`), shared by every process
 * that opens it: the daemon and any number of CLI commands. Whoever finds it stopped starts it;
 * whoever closes last stops it. The server runs in its own session (Ctrl+C in a terminal reaches
 * the validator, which then closes in order) and outlives a process killed with SIGKILL: the next
 * process adopts it. PostgreSQL's own postmaster.pid decides who runs it; a lock file left by a
 * dead server is cleaned up (see postmaster-pid.ts).
 */
export class EmbeddedPostgres {
  private constructor(
    readonly clusterDir: string,
    readonly connection: EmbeddedConnection,
    /** True when this process started the server (it was not running). */
    readonly startedHere: boolean,
    private readonly log: EmbeddedServerLog,
  ) {}

  /** Starts the server for `dataDir` (initialising it on first use) or joins the running one. */
  static async open(dataDir: string, log: EmbeddedServerLog): Promise<EmbeddedPostgres> {
    const root = resolve(dataDir);
    const clusterDir = join(root, 'postgres');
    const user = await serverUser(log.log);
    mkdirSync(root, { recursive: true });
    if (user) {
      const blocked = firstBlockedDirectory(root, user);
      if (blocked) {
        throw new Error(
          `the embedded PostgreSQL runs as the OS user "${user.name}" because the validator runs as root, and that user cannot enter ${blocked}: ` +
            `chmod o+x ${blocked}, choose another DATA_DIR, run the validator as a non-root user, or set DATABASE_URL`,
        );
      }
    }
    const socketDir = socketDirectory(clusterDir);
    const connection: EmbeddedConnection = { host: socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' };
    let binaries: PostgresBinaries | undefined;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      if (Date.now() > deadline) throw new Error(`the embedded PostgreSQL for ${clusterDir} did not become ready within ${READY_TIMEOUT_MS / 1000} s`);
      const state = postmasterState(clusterDir);
      if (state.kind === 'running') {
        try {
          await waitUntilAccepting(connection, () => postmasterState(clusterDir).kind === 'running', deadline);
          return new EmbeddedPostgres(clusterDir, connection, false, log);
        } catch (e) {
          // It was shutting down (its last user left): start a new one.
          if (postmasterState(clusterDir).kind === 'running') throw e;
          continue;
        }
      }
      if (state.kind === 'stale') {
        log.warn(`removing the lock file of a PostgreSQL server that is gone (${state.reason})`);
        rmSync(join(clusterDir, 'postmaster.pid'), { force: true });
        rmSync(join(socketDir, `.s.PGSQL.${SOCKET_PORT}.lock`), { force: true });
      }
      binaries ??= locatePostgresBinaries(user);
      if (!existsSync(join(clusterDir, 'PG_VERSION'))) await initialise(clusterDir, binaries, user, log);
      checkVersion(clusterDir, binaries);
      if (socketDir !== clusterDir) prepareDirectory(socketDir, user, 0o700);
      const started = await startServer(clusterDir, socketDir, binaries, user, join(root, 'postgres.log'), connection, deadline);
      if (started.ok) {
        log.log(`embedded PostgreSQL ${binaries.major} started for ${clusterDir}`);
        return new EmbeddedPostgres(clusterDir, connection, true, log);
      }
      // Another process may have started it at the same moment: its postmaster.pid decides.
      if (attempt >= 3 || Date.now() > deadline) throw new Error(`the embedded PostgreSQL server for ${clusterDir} did not start: ${started.reason}`);
    }
  }

  /**
   * Called after this process has closed its own connections: stops the server when no other
   * client is connected (a smart shutdown, which still lets a client that connects in between
   * finish). Never throws.
   */
  async release(): Promise<void> {
    try {
      if (!(await this.nobodyElseConnected())) {
        this.log.log('embedded PostgreSQL left running: another process still uses it');
        return;
      }
      const info = readPostmasterPid(this.clusterDir);
      if (!info) return;
      process.kill(info.pid, 'SIGTERM');
      const until = Date.now() + STOP_WAIT_MS;
      while (Date.now() < until && existsSync(join(this.clusterDir, 'postmaster.pid'))) await sleep(50);
      if (existsSync(join(this.clusterDir, 'postmaster.pid'))) this.log.warn('embedded PostgreSQL is still shutting down (it waits for its last client)');
      else this.log.log('embedded PostgreSQL stopped');
    } catch (e) {
      this.log.warn(`could not stop the embedded PostgreSQL: ${(e as Error).message}`);
    }
  }

  /** Two processes closing together each see the other's check connection: retry a few times. */
  private async nobodyElseConnected(): Promise<boolean> {
    for (let round = 0; round < 4; round++) {
      const client = new Client({ ...this.connection, application_name: RELEASE_CHECK_APP, connectionTimeoutMillis: 5000 });
      try {
        await client.connect();
      } catch {
        return false; // not answering (already stopping, or gone): nothing to stop
      }
      try {
        const rows = (
          await client.query<{ app: string }>(
            `SELECT application_name AS app FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
          )
        ).rows;
        if (rows.length === 0) return true;
        if (rows.some((r) => r.app !== RELEASE_CHECK_APP)) return false;
      } finally {
        await client.end().catch(() => undefined);
      }
      await sleep(50 + Math.floor(Math.random() * 200));
    }
    return false;
  }
}

/** The socket goes in the cluster folder unless that path is too long for a Unix socket (107 bytes). */
export function socketDirectory(clusterDir: string): string {
  if (`${clusterDir}/.s.PGSQL.${SOCKET_PORT}.lock`.length <= 100) return clusterDir;
  return join(tmpdir(), `chv-pg-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 16)}`);
}

function prepareDirectory(dir: string, user: ServerUser | undefined, mode: number): void {
  mkdirSync(dir, { recursive: true, mode });
  if (user) chownSync(dir, user.uid, user.gid);
}

async function initialise(clusterDir: string, bin: PostgresBinaries, user: ServerUser | undefined, log: EmbeddedServerLog): Promise<void> {
  // initdb into a fresh folder, then rename: two processes starting together never see half a cluster.
  const staging = `${clusterDir}.init-${process.pid}-${randomBytes(3).toString('hex')}`;
  prepareDirectory(staging, user, 0o700);
  log.log(`creating the embedded PostgreSQL ${bin.major} database in ${clusterDir} (first start)`);
  const result = await runToEnd(bin.initdb, ['-D', staging, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-instructions'], user);
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`initdb failed for ${clusterDir} (exit ${String(result.code)}): ${lastLines(result.output)}`);
  }
  try {
    renameSync(staging, clusterDir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) throw new Error(`cannot create ${clusterDir}: ${(e as Error).message}`);
  }
}

function checkVersion(clusterDir: string, bin: PostgresBinaries): void {
  const version = readFileSync(join(clusterDir, 'PG_VERSION'), 'utf8').trim();
  if (version !== bin.major) {
    throw new Error(
      `the embedded database in ${clusterDir} was created by PostgreSQL ${version} and this validator ships PostgreSQL ${bin.major}: ` +
        `move that folder away (its data is not read), or dump it with PostgreSQL ${version} tools and restore it, or set DATABASE_URL`,
    );
  }
}

async function startServer(
  clusterDir: string,
  socketDir: string,
  bin: PostgresBinaries,
  user: ServerUser | undefined,
  logPath: string,
  connection: EmbeddedConnection,
  deadline: number,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const logFd = openSync(logPath, 'a', 0o640);
  let exited: { code: number | null } | undefined;
  try {
    const child = spawn(bin.postgres, ['-D', clusterDir, '-k', socketDir, '-p', String(SOCKET_PORT), '-c', 'listen_addresses='], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    child.once('exit', (code) => (exited = { code }));
    child.once('error', () => (exited = { code: null }));
    child.unref();
    await waitUntilAccepting(connection, () => exited === undefined, deadline);
    return { ok: true };
  } catch (e) {
    const tail = lastLines(readFileSync(logPath, 'utf8'));
    return { ok: false, reason: exited ? `the server exited (${String(exited.code)}): ${tail} (log: ${logPath})` : `${(e as Error).message} (log: ${logPath})` };
  } finally {
    closeSync(logFd);
  }
}

/** Polls a connection until the server answers; fails early when `stillHopeful()` turns false. */
async function waitUntilAccepting(c: EmbeddedConnection, stillHopeful: () => boolean, deadline: number): Promise<void> {
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const client = new Client({ ...c, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (e) {
      last = (e as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
    if (!stillHopeful()) throw new Error(`the server stopped while starting (${last})`);
    await sleep(50);
  }
  throw new Error(`the embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s (${last})`);
}

function runToEnd(cmd: string, args: string[], user: ServerUser | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' }, ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (e) => done({ code: null, output: e.message }));
    child.once('close', (code) => done({ code, output }));
  });
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
