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
