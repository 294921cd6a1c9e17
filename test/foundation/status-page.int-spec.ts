import type { INestApplication } from '@nestjs/common';
import WebSocket from 'ws';
import { startDaemon } from '../support/app';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { SystemEventsService } from '../../src/observability/system-events/system-events.service';
import { LiveFeedService } from '../../src/observability/live/live-feed.service';

describe('status page and live feed', () => {
  let app: INestApplication;
  let db: ThrowawayDatabase;
  let base: string;

  beforeAll(async () => {
    db = await createThrowawayDatabase();
    app = await startDaemon({ kind: 'postgres', url: db.url });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('renders recorded system events, escaped', async () => {
    await app.get(SystemEventsService).record({ type: 'VALIDATOR_FAILURE', subtype: 'GENERIC_ERROR', description: '<script>alert(1)</script> broke' });
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('VALIDATOR_FAILURE');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; broke');
    expect(html).not.toContain('<script>alert(1)</script>');
  });

  it('streams system events and job status changes on /ws/events', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/events`);
    const received: { kind: string; [k: string]: unknown }[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data: Buffer) => {
        received.push(JSON.parse(data.toString()) as { kind: string });
        if (received.length === 1) resolve();
      });
      ws.on('error', reject);
    });
    expect(received[0].kind).toBe('hello');
    await app.get(SystemEventsService).record({ type: 'METAGRAPH_SYNCING', subtype: 'SUCCESS', description: 'synced' });
    app.get(LiveFeedService).publishJobStatus({ jobKind: 'organic', jobUuid: 'u-1', minerHotkey: '5Miner', status: 'COMPLETED' });
    await new Promise<void>((resolve) => {
      const check = () => (received.length >= 3 ? resolve() : setTimeout(check, 20));
      check();
    });
    ws.close();
    expect(received[1]).toMatchObject({ kind: 'system_event', type: 'METAGRAPH_SYNCING', subtype: 'SUCCESS', description: 'synced' });
    expect(received[2]).toMatchObject({ kind: 'job_status', jobKind: 'organic', jobUuid: 'u-1', minerHotkey: '5Miner', status: 'COMPLETED' });
  });
});
