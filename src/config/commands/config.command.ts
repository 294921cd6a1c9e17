import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { DynamicConfigEntry, DynamicConfigService } from '../dynamic/dynamic-config.service';
import { showDynamicValue as show } from '../dynamic/dynamic-config.parse';
import { renderTable } from '../../common/table';

/** What else holds a value for the key, or where a remote value came from. */
function note(e: DynamicConfigEntry): string {
  const parts: string[] = [];
  if (e.source === 'remote' && e.origin) parts.push(`from ${e.origin}`);
  for (const s of e.shadowed) parts.push(`hides ${s.source} ${show(s.value)}`);
  return parts.join('; ');
}

@SubCommand({ name: 'list', description: 'list every dynamic config key, its value and its source (override > remote > env > default)' })
export class ConfigListCommand extends CommandRunner {
  constructor(private readonly dynamic: DynamicConfigService) {
    super();
  }
  async run(): Promise<void> {
    const entries = await this.dynamic.list();
    process.stdout.write(`${renderTable(['key', 'value', 'source', 'note'], entries.map((e) => [e.key, show(e.value), e.source, note(e)]))}\n`);
  }
}

@SubCommand({ name: 'get', arguments: '<key>', description: 'print one dynamic config value and its source' })
export class ConfigGetCommand extends CommandRunner {
  constructor(private readonly dynamic: DynamicConfigService) {
    super();
  }
  async run([key]: string[]): Promise<void> {
    const entry = await this.dynamic.entry(key);
    if (!entry) {
      process.stderr.write(`unknown dynamic config key ${key}\n`);
      process.exitCode = 1;
      return;
    }
    const extra = note(entry);
    process.stdout.write(`${entry.key} = ${show(entry.value)} (${entry.source}${extra ? `; ${extra}` : ''})\n`);
  }
}

@SubCommand({ name: 'set', arguments: '<key> <value>', description: 'store an operator override (wins over the remote source, env and default)' })
export class ConfigSetCommand extends CommandRunner {
  constructor(private readonly dynamic: DynamicConfigService) {
    super();
  }
  async run([key, value]: string[]): Promise<void> {
    try {
      const { entry, notes } = await this.dynamic.setChecked(key, value);
      process.stdout.write(`${entry.key} = ${show(entry.value)} (${entry.source})\n`);
      for (const n of notes) process.stderr.write(`warning: ${n}\n`);
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}

@SubCommand({ name: 'unset', arguments: '<key>', description: 'remove an operator override (back to remote, env or default)' })
export class ConfigUnsetCommand extends CommandRunner {
  constructor(private readonly dynamic: DynamicConfigService) {
    super();
  }
  async run([key]: string[]): Promise<void> {
    try {
      await this.dynamic.unset(key);
      const entry = await this.dynamic.entry(key);
      if (entry) process.stdout.write(`${entry.key} = ${show(entry.value)} (${entry.source})\n`);
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
