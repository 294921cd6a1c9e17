import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { DynamicConfigService } from '../dynamic/dynamic-config.service';
import { renderTable } from '../../common/table';

function show(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

@SubCommand({ name: 'list', description: 'list every dynamic config key, its value and where it comes from' })
export class ConfigListCommand extends CommandRunner {
  constructor(private readonly dynamic: DynamicConfigService) {
    super();
  }
  async run(): Promise<void> {
    const entries = await this.dynamic.list();
    process.stdout.write(`${renderTable(['key', 'value', 'source'], entries.map((e) => [e.key, show(e.value), e.source]))}\n`);
  }
}

@SubCommand({ name: 'get', arguments: '<key>', description: 'print one dynamic config value' })
export class ConfigGetCommand extends CommandRunner {
  constructor(private readonly dynamic: DynamicConfigService) {
    super();
  }
  async run([key]: string[]): Promise<void> {
    const entry = (await this.dynamic.list()).find((e) => e.key === key);
    if (!entry) {
      process.stderr.write(`unknown dynamic config key ${key}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`${entry.key} = ${show(entry.value)} (${entry.source})\n`);
  }
}

@SubCommand({ name: 'set', arguments: '<key> <value>', description: 'store a value in the database (wins over env and default)' })
export class ConfigSetCommand extends CommandRunner {
  constructor(private readonly dynamic: DynamicConfigService) {
    super();
  }
  async run([key, value]: string[]): Promise<void> {
    try {
      const entry = await this.dynamic.set(key, value);
      process.stdout.write(`${entry.key} = ${show(entry.value)} (${entry.source})\n`);
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}

@SubCommand({ name: 'unset', arguments: '<key>', description: 'remove a stored value (back to env or default)' })
export class ConfigUnsetCommand extends CommandRunner {
  constructor(private readonly dynamic: DynamicConfigService) {
    super();
  }
  async run([key]: string[]): Promise<void> {
    try {
      await this.dynamic.unset(key);
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}

@Command({
  name: 'config',
  description: 'inspect and change dynamic configuration (list | get KEY | set KEY VALUE | unset KEY)',
  subCommands: [ConfigListCommand, ConfigGetCommand, ConfigSetCommand, ConfigUnsetCommand],
})
export class ConfigCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
