import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommandEntry } from '../common/cli-command-entry';
import { CLI_COMMANDS } from './registry';

/**
 * validator-cli: `--help`, `--version` and unknown commands are answered from the registry alone
 * (no Nest, no database, no chain); a command loads only its own file and modules (run-command.ts).
 */
export async function cliMain(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(usage());
    return 1;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0]) return cliMain([rest[0], '--help']);
    process.stdout.write(usage());
    return 0;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const entry = CLI_COMMANDS.find((c) => c.name === first);
  if (!entry) {
    const near = CLI_COMMANDS.filter((c) => c.name.includes(first) || first.includes(c.name)).map((c) => c.name);
    process.stderr.write(`validator-cli: unknown command '${first}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; validator-cli --help lists the commands\n`);
    return 1;
  }
  const { runCommand } = await import('./run-command');
  return runCommand(entry, rest);
}

export function usage(commands: readonly CliCommandEntry[] = CLI_COMMANDS): string {
  const sorted = [...commands].sort((a, b) => a.name.localeCompare(b.name));
  const width = Math.max(...sorted.map((c) => c.name.length));
  return [
    'Usage: validator-cli <command> [options]',
    '',
    'One-off commands of the ComputeHorde validator, on the same configuration as the daemon (environment and .env).',
    'They run beside a running daemon; a command that needs the embedded database starts it when the daemon does not run.',
    '',
    'Commands:',
    ...sorted.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'validator-cli <command> --help shows the options of a command.',
    '',
  ].join('\n');
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
