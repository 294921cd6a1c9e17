import type { CliCommandEntry } from '../../common/cli-command-entry';

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
  {
    name: 'fetch-dynamic-config',
    summary: "print the subnet owner's dynamic config as the configured source holds it (--apply: also apply it now)",
    database: true,
    load: async () => ({ commands: [(await import('./fetch-dynamic-config.command')).FetchDynamicConfigCommand] }),
  },
];
