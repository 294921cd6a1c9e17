import { Command, CommandRunner, Option } from 'nest-commander';
import { demoMain } from '../demo/demo-main';

@Command({
  name: 'devnet',
  description: 'run the whole validator locally: local chain, simulated miners and facilitator, the real daemon (same as npm run demo)',
})
export class DevnetDemoCommand extends CommandRunner {
  private readonly args: string[] = [];

  async run(_params: string[], options: Record<string, string | boolean>): Promise<void> {
    const argv: string[] = [];
    for (const key of ['miners', 'executors', 'cycles', 'timeout'] as const) if (options[key] !== undefined) argv.push(`--${key}`, String(options[key]));
    if (options.commitReveal === false) argv.push('--no-commit-reveal');
    process.exitCode = await demoMain(argv);
  }

  @Option({ flags: '--miners <n>', description: 'simulated miners (default 16)' })
  parseMiners(v: string): string {
    return v;
  }
  @Option({ flags: '--executors <n>', description: 'executors per miner (default 2)' })
  parseExecutors(v: string): string {
    return v;
  }
  @Option({ flags: '--cycles <n>', description: 'cycles to run (default 2)' })
  parseCycles(v: string): string {
    return v;
  }
  @Option({ flags: '--timeout <seconds>', description: 'give up after this many seconds (default 280)' })
  parseTimeout(v: string): string {
    return v;
  }
  @Option({ flags: '--no-commit-reveal', description: 'set weights directly instead of commit-reveal' })
  parseCommitReveal(v: boolean): boolean {
    return v;
  }
}

