import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface PostmasterPid {
  pid: number;
  dataDir: string;
  /** "starting", "ready", "stopping" (PostgreSQL 10+), or "" when not written yet. */
  status: string;
}

/** postmaster.pid of a cluster folder: line 1 pid, line 2 data directory, line 8 status. */
export function readPostmasterPid(clusterDir: string): PostmasterPid | undefined {
  let text: string;
  try {
    text = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, dataDir: lines[1] ?? '', status: (lines[7] ?? '').trim() };
}

export type PostmasterState =
  | { kind: 'none' }
  /** A live server for this folder. */
  | { kind: 'running'; pid: number }
  /** A lock file whose process is not this folder's server. */
  | { kind: 'stale'; reason: string };

/**
 * What postmaster.pid says. A dead pid is left to PostgreSQL itself ("none"): it removes such a
 * file on start after checking that no backend of the old server still holds its shared memory.
 * A live pid that is not a postgres process for this folder (pid reuse after a crash, typical in a
 * container whose pids restart at 1) would make PostgreSQL refuse to start: that file is "stale".
 */
export function postmasterState(clusterDir: string, procRoot = '/proc'): PostmasterState {
  const info = readPostmasterPid(clusterDir);
  if (!info) return { kind: 'none' };
  if (!isAlive(info.pid)) return { kind: 'none' };
  let cmdline: string;
  try {
    cmdline = readFileSync(join(procRoot, String(info.pid), 'cmdline'), 'utf8');
  } catch {
    return { kind: 'running', pid: info.pid }; // no /proc (macOS): trust the live pid
  }
  const args = cmdline.split('\0');
  // A postmaster keeps its command line (`.../postgres -D <folder> ...`); backends retitle themselves.
  const isPostmaster = /(^|\/)postgres$/.test(args[0] ?? '');
  const dataArg = args.indexOf('-D');
  const forThisFolder = dataArg >= 0 && resolve(args[dataArg + 1] ?? '') === resolve(clusterDir);
  if (isPostmaster && forThisFolder) return { kind: 'running', pid: info.pid };
  return { kind: 'stale', reason: `pid ${info.pid} is now ${(args[0] ?? '?').slice(0, 60)}` };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
