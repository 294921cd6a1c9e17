#!/usr/bin/env node
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';
import { getProcessConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = getProcessConfig();
  await CommandFactory.run(CliModule.forRoot({ config }), {
    logger: ['error', 'warn'],
    errorHandler: (err) => {
      const { code, exitCode } = err as Error & { code?: string; exitCode?: number };
      // commander reports --help and --version through this handler too
      if (code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version') process.exit(0);
      if (!code?.startsWith('commander.')) process.stderr.write(`${err.message}\n`);
      process.exit(typeof exitCode === 'number' && exitCode !== 0 ? exitCode : 1);
    },
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`validator-cli: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
