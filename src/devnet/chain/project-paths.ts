import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The project's root: the nearest directory above this file holding package.json (works from src/ and dist/). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(resolve(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

/**
 * A chain file of ../shared/chain next to the project (upstream data, never copied into the project):
 * `raonet.json` (raw genesis, runtime 218), `aura-dev.json` (holds the runtime-293 code) or
 * `metadata-spec381.scale` (current calls, for offline encoding). CHAIN_SPEC
 * replaces raonet.json; the other files are then looked up beside it.
 */
export function sharedChainFile(name: 'raonet.json' | 'aura-dev.json' | 'metadata-spec381.scale', env: NodeJS.ProcessEnv = process.env): string {
  const raonet = env.CHAIN_SPEC ? resolve(env.CHAIN_SPEC) : resolve(projectRoot(), '..', 'shared', 'chain', 'raonet.json');
  const path = name === 'raonet.json' ? raonet : resolve(dirname(raonet), name);
  if (!existsSync(path)) {
    throw new Error(`local chain file not found at ${path} (set CHAIN_SPEC to the raw raonet.json, or provide ../shared/chain/${name})`);
  }
  return path;
}
