import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { getProcessConfig } from './config/app-config';
import { setupApp } from './setup-app';

async function bootstrap(): Promise<void> {
  const config = getProcessConfig();
  const app = await NestFactory.create(AppModule.forRoot({ config }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  setupApp(app);
  await app.listen(config.core.HTTP_PORT, config.core.HTTP_HOST);
  app.get(Logger).log(`validator listening on http://${config.core.HTTP_HOST}:${config.core.HTTP_PORT} (health: /health, metrics: /metrics)`);
}

process.on('unhandledRejection', (reason) => {
  // A bug somewhere must not take the validator down; it is logged loudly instead.
  process.stderr.write(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
});

bootstrap().catch((e: unknown) => {
  process.stderr.write(`validator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
