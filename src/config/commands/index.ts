import type { CliCommandEntry } from '../../cli/command-entry';

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const CONFIG_COMMANDS: CliCommandEntry[] = [
  {
    name: 'config',
    summary: 'inspect and change dynamic configuration (list | get KEY | set KEY VALUE | unset KEY)',
    database: true,
    load: async () => {
      const m = await import('./config.command');
      return { commands: [m.ConfigCommand, m.ConfigListCommand, m.ConfigGetCommand, m.ConfigSetCommand, m.ConfigUnsetCommand] };
    },
  },
];
