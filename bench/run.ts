/**
 * `npm run bench -- <name> [args]`: runs bench/<name>.ts, which prints its numbers.
 * Benchmarks are not tests: they measure, print and exit 0 unless they could not run.
 */
import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const name = process.argv[2];
const available = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !existsSync(join(__dirname, `${name}.ts`))) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|') || 'name'}>\n`);
  process.exit(2);
}
process.env.LOG_LEVEL ??= 'error';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mod = require(`./${name}`) as { main?: (args: string[]) => Promise<void> };
if (!mod.main) {
  process.stderr.write(`bench/${name}.ts exports no main()\n`);
  process.exit(2);
}
mod.main(process.argv.slice(3)).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`benchmark ${name} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
