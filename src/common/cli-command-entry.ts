import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import type { CommandRunner } from 'nest-commander';

/** What a command needs, loaded only when that command runs (or shows its own --help). */
export interface CliCommandDefinition {
  /** The @Command class first, then its @SubCommand classes. */
  commands: Type<CommandRunner>[];
  /** Nest modules whose providers the commands inject (beyond config, and the database when `database`). */
  imports?: (Type | DynamicModule | ForwardReference)[];
}

/**
 * One top-level command of validator-cli, as listed in its module's `commands/index.ts`.
 * Nothing here is loaded for `validator-cli --help`: `load` requires the command's file on demand.
 */
export interface CliCommandEntry {
  /** Must equal the @Command name (checked by cli/registry.spec.ts). */
  name: string;
  /** One line for `validator-cli --help`; must equal the @Command description. */
  summary: string;
  /**
   * The command opens the database (then the database, observability and dynamic-config modules are
   * loaded for it). False for commands that need neither the database nor anything that records events.
   */
  database: boolean;
  load(): Promise<CliCommandDefinition>;
}
