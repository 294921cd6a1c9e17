#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { DemoOptions } from './run-demo';
import { parseLocalRuntime } from '../chain/runtimes';

// chopsticks logs every block at info level; the demo prints its own progress instead.
process.env.LOG_LEVEL ??= 'warn';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFAULT_DEMO_OPTIONS, runDemo } = require('./run-demo') as typeof import('./run-demo');

/** `npm run demo [-- --miners N --cycles C --timeout S]`: runs the devnet demo without the CLI's own modules. */
export function demoOptionsFromArgs(argv: string[]): Partial<DemoOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      miners: { type: 'string' },
      executors: { type: 'string' },
      cycles: { type: 'string' },
      timeout: { type: 'string' },
      'no-commit-reveal': { type: 'boolean' },
      runtime: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} expects an integer >= ${min}`);
    return n;
  };
  const timeout = int('timeout', values.timeout, 30);
  return {
    miners: int('miners', values.miners, 1),
    executorsPerMiner: int('executors', values.executors, 1),
    cycles: int('cycles', values.cycles, 1),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    commitReveal: values['no-commit-reveal'] ? false : undefined,
    runtime: values.runtime === undefined ? undefined : parseLocalRuntime(values.runtime, '--runtime'),
  };
}

export async function demoMain(argv: string[]): Promise<number> {
  const opts = Object.fromEntries(Object.entries(demoOptionsFromArgs(argv)).filter(([, v]) => v !== undefined)) as Partial<DemoOptions>;
  const merged = { ...DEFAULT_DEMO_OPTIONS, ...opts };
  process.stdout.write(
    `ComputeHorde validator devnet demo: ${merged.miners} simulated miners, ${merged.cycles} cycles, a local subtensor runtime (spec ${merged.runtime}), no internet needed.\n`,
  );
  const result = await runDemo(opts);
  process.stdout.write(`\n${result.table}\n`);
  if (result.organicOutcomes.length) process.stdout.write(`\nOrganic jobs (facilitator's view): ${result.organicOutcomes.join(', ')}\n`);
  process.stdout.write(
    `\n${result.ok ? 'OK' : 'NOT DONE'}: ${result.reason}; ${result.batchesRun} synthetic batch(es), ${result.organicCompleted}/${result.organicSent} organic jobs completed, ${result.cyclesCompleted} cycles, ${(result.durationMs / 1000).toFixed(0)} s. Validator log: ${result.daemonLog}\n`,
  );
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  demoMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
