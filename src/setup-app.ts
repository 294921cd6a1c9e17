import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';

/** What the daemon's HTTP app needs beyond its modules; shared by main.ts and the tests. */
export function setupApp(app: INestApplication): INestApplication {
  app.useWebSocketAdapter(new WsAdapter(app));
  app.enableShutdownHooks();
  return app;
}
