import 'reflect-metadata';
import { getProcessConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  // A bad setting exits 1 here, before the application's modules are even loaded.
  const config = getProcessConfig();
  const [{ NestFactory }, { Logger }, { AppModule }, { setupApp }] = await Promise.all([
    import('@nestjs/core'),
    import('nestjs-pino'),
    import('./app.module'),
    import('./setup-app'),
  ]);
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
