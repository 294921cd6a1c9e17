import 'reflect-metadata';
import { Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandFactory, CommandRunner, CommandRunnerService } from 'nest-commander';
import type { Command as Commander } from 'commander';
import { getProcessConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { ProcessRoleModule } from '../common/process-role';
import { CliLogger } from './cli-logger';
import type { CliCommandDefinition, CliCommandEntry } from '../common/cli-command-entry';
import { describeFailure } from './failure';

@Module({})
class CliParseModule {}

@Module({})
class CliCommandModule {}

/**
 * Runs one top-level command. Two stages, so that parsing (options, `--help`, usage errors) costs
 * nothing but the command's own file: nest-commander parses against placeholder instances of the
 * command classes (no constructor runs, nothing is injected); only when commander calls a command's
 * action is the real Nest context built, with the modules that command declares, and its real
 * instance run. Returns the exit code.
 */
export async function runCommand(entry: CliCommandEntry, argv: string[]): Promise<number> {
  const def = await entry.load();
  let exitCode: number | undefined;
  const parseApp = await CommandFactory.createWithoutRunning(
    {
      module: CliParseModule,
      providers: def.commands.map((cls) => ({
        provide: cls,
        useFactory: () => placeholder(cls, async (instance, args, options) => {
          exitCode = await execute(entry, def, cls, instance, args, options);
        }),
      })),
    },
    {
      logger: false,
      errorHandler: (err) => {
        const { code, exitCode: commanderCode } = err as Error & { code?: string; exitCode?: number };
        // commander reports --help through this handler too; usage errors were already printed by commander.
        exitCode = code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version' ? 0 : typeof commanderCode === 'number' && commanderCode !== 0 ? commanderCode : 1;
        throw err;
      },
      serviceErrorHandler: (err) => {
        if (exitCode === undefined) {
          process.stderr.write(`validator-cli ${entry.name}: ${describeFailure(err)}\n`);
          exitCode = 1;
        }
      },
    },
  );
  try {
    await parseApp.get(CommandRunnerService).run(['node', 'validator-cli', entry.name, ...argv]);
  } finally {
    await parseApp.close();
  }
  return exitCode ?? (typeof process.exitCode === 'number' ? process.exitCode : 0);
}

type Action = (instance: CommandRunner, args: string[], options: Record<string, unknown>) => Promise<void>;

/** An instance for parsing only: the class's prototype (option parsers, metadata), no constructor. */
function placeholder(cls: Type<CommandRunner>, action: Action): CommandRunner {
  const instance = Object.create(cls.prototype as object) as CommandRunner;
  Object.defineProperty(instance, 'run', { value: (args: string[], options: Record<string, unknown>) => action(instance, args, options) });
  return instance;
}

/** Builds the Nest context this command needs, runs the real instance, closes the context. */
async function execute(
  entry: CliCommandEntry,
  def: CliCommandDefinition,
  cls: Type<CommandRunner>,
  parsed: CommandRunner,
  args: string[],
  options: Record<string, unknown>,
): Promise<number> {
  const config = getProcessConfig();
  const logger = new CliLogger(config.core.LOG_LEVEL);
  const imports = [ConfigModule.forRoot(config), ProcessRoleModule.forRoot('cli'), ...(entry.database ? await databaseImports() : []), ...(def.imports ?? [])];
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>> | undefined;
  try {
    app = await NestFactory.createApplicationContext({ module: CliCommandModule, imports, providers: def.commands }, { logger, abortOnError: false });
    const real = app.get(cls);
    real.setCommand((parsed as unknown as { command: Commander }).command);
    process.exitCode = undefined;
    await real.run(args, options);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('commander.')) throw e; // help or usage from inside a command: commander's exit
    process.stderr.write(`validator-cli ${entry.name}: ${describeFailure(e)}\n`);
    if (config.core.LOG_LEVEL === 'debug' || config.core.LOG_LEVEL === 'trace') process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return 1;
  } finally {
    await app?.close().catch((e: unknown) => process.stderr.write(`validator-cli ${entry.name}: while closing: ${describeFailure(e)}\n`));
  }
}

/** The database and what records to it (system events, health, dynamic config). */
async function databaseImports() {
  const [{ DatabaseModule }, { APP_SCHEMA }, { ObservabilityModule }, { DynamicConfigModule }] = await Promise.all([
    import('../database/database.module'),
    import('../app-schema'),
    import('../observability/observability.module'),
    import('../config/dynamic/dynamic-config.module'),
  ]);
  return [DatabaseModule.forRoot(undefined, APP_SCHEMA), ObservabilityModule, DynamicConfigModule];
}
