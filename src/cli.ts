#!/usr/bin/env node
import { cliMain } from './cli/cli-main';

// Only the registry is loaded here; see src/cli/README.md.
cliMain(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`validator-cli: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
