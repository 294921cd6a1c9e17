import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { WsAdapter } from '@nestjs/platform-ws';
import { applyHttpLimits } from './observability/http/http-limits';

/** What the daemon's HTTP app needs beyond its modules; shared by main.ts and the tests. */
export function setupApp(app: INestApplication): INestApplication {
  app.useWebSocketAdapter(new WsAdapter(app));
  app.enableShutdownHooks();
  applyHttpLimits(app.getHttpServer() as Server);
  return app;
}
