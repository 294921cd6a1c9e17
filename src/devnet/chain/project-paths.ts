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
 * The raw chain spec of the local subtensor runtime: CHAIN_SPEC if set, else ../shared/chain/raonet.json
 * next to the project. It is upstream data and is never copied into the project.
 */
export function chainSpecPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHAIN_SPEC ? resolve(env.CHAIN_SPEC) : resolve(projectRoot(), '..', 'shared', 'chain', 'raonet.json');
  if (!existsSync(path)) {
    throw new Error(`local chain spec not found at ${path} (set CHAIN_SPEC or provide ../shared/chain/raonet.json)`);
  }
  return path;
}
