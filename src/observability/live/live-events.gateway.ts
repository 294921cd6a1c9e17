import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import { LiveFeedService } from './live-feed.service';

/**
 * `/ws/events`: a read-only stream of system events and job status changes, one JSON object per
 * frame. Clients send nothing; anything they send is ignored.
 */
@WebSocketGateway({ path: '/ws/events' })
export class LiveEventsGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(LiveEventsGateway.name);
  private readonly subscriptions = new Map<WebSocket, Subscription>();

  constructor(private readonly feed: LiveFeedService) {}

  handleConnection(client: WebSocket): void {
    const sub = this.feed.events$.subscribe((event) => {
      if (client.readyState !== client.OPEN) return;
      // A client that cannot keep up is dropped rather than buffering without bound.
      if (client.bufferedAmount > 4 * 1024 * 1024) {
        client.terminate();
        return;
      }
      client.send(JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    });
    this.subscriptions.set(client, sub);
    client.send(JSON.stringify({ kind: 'hello', timestamp: new Date().toISOString() }));
    this.logger.debug('live feed client connected');
  }

  handleDisconnect(client: WebSocket): void {
    this.subscriptions.get(client)?.unsubscribe();
    this.subscriptions.delete(client);
  }
}
