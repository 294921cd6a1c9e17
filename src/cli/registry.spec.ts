import 'reflect-metadata';
import { CLI_COMMANDS } from './registry';
import { usage } from './cli-main';

const COMMAND_META = 'CommandBuilder:Command:Meta';

describe('validator-cli registry', () => {
  it('has unique names', () => {
    const names = CLI_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(CLI_COMMANDS.map((c) => [c.name, c] as const))('%s loads a @Command with the same name and description', async (_name, entry) => {
    const def = await entry.load();
    const meta = Reflect.getMetadata(COMMAND_META, def.commands[0]) as { name: string; description?: string } | undefined;
    expect(meta).toMatchObject({ name: entry.name, description: entry.summary });
  });

  it('prints the usage from the registry alone, as validator-cli', () => {
    const text = usage();
    expect(text.startsWith('Usage: validator-cli <command>')).toBe(true);
    for (const c of CLI_COMMANDS) expect(text).toContain(`  ${c.name} `);
  });
});
