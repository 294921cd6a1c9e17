import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from './project-paths';

/** A chain spec of the subtensor repository, pinned to a commit and checked by its sha256. */
export interface PinnedChainSpec {
  file: string;
  /** Path in the subtensor repository. */
  path: string;
  commit: string;
  sha256: string;
  what: string;
}

/** The specs the devnet can run (../shared/chain/README.md): the same files, byte for byte. */
export const CHAIN_SPECS = {
  'raonet.json': {
    file: 'raonet.json',
    path: 'scripts/specs/raonet.json',
    commit: 'e2b8367b8be2d9ce60ae5858c49138fa05f44a68',
    sha256: 'bb2c7e34390f8fb5032750cc7d80d23f91a47f56fdebf4c35a24c7938b96c57c',
    what: 'raw chain spec, runtime spec 218 (1.7 MB)',
  },
  'aura-dev.json': {
    file: 'aura-dev.json',
    path: 'aura-dev.json',
    commit: 'f59e608b2128586215ea396156a1d04b14724888',
    sha256: 'c321edb119707219b5f3fe602ad2f3180cd9e4492dbceee16e46b54a1facba2d',
    what: 'plain chain spec, runtime spec 293 with drand (2.8 MB)',
  },
} as const satisfies Record<string, PinnedChainSpec>;

export type ChainSpecName = keyof typeof CHAIN_SPECS;

export const DEFAULT_CHAIN_SPEC_BASE_URL = 'https://raw.githubusercontent.com/opentensor/subtensor';

export interface ChainSpecLookup {
  env?: NodeJS.ProcessEnv;
  /** Where ../shared/chain is looked for (default: next to the project root). */
  sharedDir?: string;
  log?: (line: string) => void;
  timeoutMs?: number;
}

/**
 * The path of a pinned chain spec: `CHAIN_SPEC` (raonet.json only: the demo's genesis), else
 * ../shared/chain/<file>, else the cache folder (`CHAIN_SPEC_CACHE`, default
 * ~/.cache/compute-horde-validator/chain-specs), else downloaded into the cache from the subtensor
 * repository at the pinned commit (`CHAIN_SPEC_BASE_URL` replaces the host, for mirrors and tests).
 * Whatever comes from the cache or the network must match the pinned sha256. Fails with what to do
 * by hand when offline.
 */
export async function resolveChainSpec(name: ChainSpecName, o: ChainSpecLookup = {}): Promise<string> {
  const env = o.env ?? process.env;
  const spec: PinnedChainSpec = CHAIN_SPECS[name];
  if (name === 'raonet.json' && env.CHAIN_SPEC) {
    const path = resolve(env.CHAIN_SPEC);
    if (!existsSync(path)) throw new Error(`CHAIN_SPEC points to ${path}, which does not exist; unset it to use ../shared/chain or the download`);
    return path;
  }
  const shared = join(o.sharedDir ?? resolve(projectRoot(), '..', 'shared', 'chain'), spec.file);
  if (existsSync(shared)) return shared;

  const cacheDir = resolve(env.CHAIN_SPEC_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'compute-horde-validator', 'chain-specs'));
  const cached = join(cacheDir, `${spec.commit.slice(0, 12)}-${spec.file}`);
  if (existsSync(cached)) {
    if (sha256(readFileSync(cached)) === spec.sha256) return cached;
    rmSync(cached, { force: true }); // a damaged copy: fetch it again
  }

  const url = `${(env.CHAIN_SPEC_BASE_URL || DEFAULT_CHAIN_SPEC_BASE_URL).replace(/\/+$/, '')}/${spec.commit}/${spec.path}`;
  const byHand =
    `Offline? Download ${spec.path} of the subtensor repository (github.com/opentensor/subtensor) at commit ${spec.commit} on a machine with internet ` +
    `(${url}), check that its sha256 is ${spec.sha256}, and put it at ${cached}` +
    (name === 'raonet.json' ? ` or point CHAIN_SPEC to it` : '') + '.';
  o.log?.(`${spec.file} not found in ${shared}; downloading it from ${url}`);
  let body: Buffer;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 60_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot download the chain spec ${spec.file} (${cause?.code ?? cause?.message ?? (e as Error).message}). ${byHand}`);
  }
  const got = sha256(body);
  if (got !== spec.sha256) {
    throw new Error(`the chain spec downloaded from ${url} has sha256 ${got}, expected ${spec.sha256}; it was not used. ${byHand}`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${cached}.${process.pid}.part`;
  writeFileSync(partial, body);
  renameSync(partial, cached);
  o.log?.(`${spec.file} saved to ${cached} (sha256 checked)`);
  return cached;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
