import { INestApplication, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, coreImports } from '../../src/app.module';
import { CLI_COMMANDS } from '../../src/cli/registry';
import { AppConfig } from '../../src/config/app-config';
import type { DatabaseTarget } from '../../src/database/data-source.factory';
import { setupApp } from '../../src/setup-app';

/**
 * A config built from a clean environment plus `env` (never the developer's own .env). No remote
 * dynamic config unless a test asks for one: the subnet owner's live values would change results.
 */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return AppConfig.fromEnv({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', DYNAMIC_CONFIG_BASE_URL: '', ...env });
}

/** The daemon app (HTTP + schedules) on the given database; call `close()` after. */
export async function startDaemon(database: DatabaseTarget, env: Record<string, string> = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot({ config: testConfig(env), database }), { logger: ['error'] });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  return app;
}

@Module({})
class TestCliModule {}

/**
 * Every feature module without schedules or HTTP, plus every validator-cli command class, as one
 * application context (tests call services and commands directly; the real CLI loads one command).
 */
export async function cliContext(database: DatabaseTarget, env: Record<string, string> = {}): Promise<INestApplicationContext> {
  const commands = (await Promise.all(CLI_COMMANDS.map((c) => c.load()))).flatMap((d) => d.commands);
  return NestFactory.createApplicationContext(
    { module: TestCliModule, imports: coreImports({ config: testConfig(env), database, logToStderr: true }), providers: commands },
    { logger: ['error'] },
  );
}
