import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { startDaemon } from '../support/app';
import { createThrowawayDatabase, ThrowawayDatabase } from '../support/postgres';
import { SystemEventsService } from '../../src/observability/system-events/system-events.service';
import { LiveFeedService } from '../../src/observability/live/live-feed.service';
import { SNAPSHOT_MAX_AGE_MS, StatusSnapshotService } from '../../src/status-page/status-snapshot.service';

const TOKEN = 'status-token-for-tests-0123456789';

/** Messages of one /ws/events client, with a way to wait for the n-th. */
function listen(url: string, headers: Record<string, string> = {}): { ws: WebSocket; received: { kind: string; [k: string]: unknown }[]; next(n: number): Promise<void> } {
  const ws = new WebSocket(url, { headers });
  const received: { kind: string; [k: string]: unknown }[] = [];
  ws.on('message', (data: Buffer) => received.push(JSON.parse(data.toString()) as { kind: string }));
  const next = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 10_000;
      const check = () => (received.length >= n ? resolve() : Date.now() > deadline ? reject(new Error(`only ${received.length} messages`)) : setTimeout(check, 20));
      check();
    });
  return { ws, received, next };
}

describe('status page and live feed', () => {
  let app: INestApplication;
  let db: ThrowawayDatabase;
  let base: string;

  beforeAll(async () => {
    db = await createThrowawayDatabase();
    app = await startDaemon({ kind: 'postgres', url: db.url }, { STATUS_PAGE_TOKEN: TOKEN });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const fresh = () => new Promise((r) => setTimeout(r, SNAPSHOT_MAX_AGE_MS + 50));

  it('shows the overall state and aggregates to anyone, details only with the token', async () => {
    await app.get(SystemEventsService).record({ type: 'VALIDATOR_FAILURE', subtype: 'GENERIC_ERROR', description: '<script>alert(1)</script> broke\n    at secret (/app/x.js:1:1)' });
    await fresh();
    const anonymous = await fetch(`${base}/`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('content-type')).toContain('text/html');
    const page = await anonymous.text();
    // no wallet and no chain in this app: the page says the validator is down, and why
    expect(page).toMatch(/id="overall" class="overall down" data-state="down"/);
    expect(page).toContain('wallet hotkey not loaded');
    expect(page).toContain('not connected to the chain');
    expect(page).not.toContain('VALIDATOR_FAILURE');
    expect(page).toContain('name="token"');

    const withToken = await (await fetch(`${base}/`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    expect(withToken).toContain('VALIDATOR_FAILURE');
    expect(withToken).toContain('&lt;script&gt;alert(1)&lt;/script&gt; broke');
    expect(withToken).not.toContain('<script>alert(1)</script>');
    expect(withToken).not.toContain('at secret'); // first line only: no stack traces

    const json = (await (await fetch(`${base}/status.json`)).json()) as Record<string, unknown>;
    expect(json.overall).toMatchObject({ state: 'down' });
    expect(json.details).toBeUndefined();
    const detailed = (await (await fetch(`${base}/status.json`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { details: { events: { ok: boolean } } };
    expect(detailed.details.events.ok).toBe(true);
  });

  it('answers a burst of page requests from one snapshot build (the page holds one connection at a time)', async () => {
    await fresh();
    const snapshots = app.get(StatusSnapshotService);
    const build = jest.spyOn(snapshots as unknown as { build: () => Promise<unknown> }, 'build');
    const paths = ['/', '/?partial=1', '/status.json'];
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => fetch(`${base}${paths[i % 3]}`, { headers: i % 2 ? { Authorization: `Bearer ${TOKEN}` } : {} })));
    expect(answers.map((r) => r.status)).toEqual(Array(60).fill(200));
    expect(build).toHaveBeenCalledTimes(1);
    build.mockRestore();
  });

  it('logs in with the token through the form (cookie), refuses a wrong one and limits attempts', async () => {
    const wrong = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token: 'nope' }), redirect: 'manual' });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toBe('/?login=failed');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
    expect(right.status).toBe(303);
    const cookie = (right.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^chv_status=[0-9a-f]{64}$/);
    expect(cookie).not.toContain(TOKEN);
    const page = await (await fetch(`${base}/`, { headers: { cookie } })).text();
    expect(page).toContain('id="system-events"');
    for (let i = 0; i < 5; i++) await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token: `wrong-${i}` }), redirect: 'manual' });
    const limited = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
    expect(limited.status).toBe(429);
  });

  it('shows a failed read as a failure, not as zeros', async () => {
    const ds = app.get(DataSource);
    await ds.query('ALTER TABLE organic_job RENAME TO organic_job_moved');
    try {
      await fresh();
      const page = await (await fetch(`${base}/`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
      expect(page).toContain('Could not read organic jobs');
      expect(page).toContain('could not read organic jobs');
      expect(page).not.toMatch(/Organic jobs, last 24 h: <span id="organic-24h">none/);
    } finally {
      await ds.query('ALTER TABLE organic_job_moved RENAME TO organic_job');
    }
  });

  it('streams system events and job statuses to token holders, only "changed" notices to others', async () => {
    const ws = base.replace('http', 'ws');
    const full = listen(`${ws}/ws/events`, { Authorization: `Bearer ${TOKEN}` });
    const anon = listen(`${ws}/ws/events`);
    await Promise.all([full.next(1), anon.next(1)]);
    expect(full.received[0]).toMatchObject({ kind: 'hello', details: true });
    expect(anon.received[0]).toMatchObject({ kind: 'hello', details: false });
    await app.get(SystemEventsService).record({ type: 'METAGRAPH_SYNCING', subtype: 'SUCCESS', description: 'synced' });
    app.get(LiveFeedService).publishJobStatus({ jobKind: 'organic', jobUuid: 'u-1', minerHotkey: '5Miner', status: 'COMPLETED' });
    await Promise.all([full.next(3), anon.next(2)]);
    expect(full.received[1]).toMatchObject({ kind: 'system_event', type: 'METAGRAPH_SYNCING', subtype: 'SUCCESS', description: 'synced' });
    expect(full.received[2]).toMatchObject({ kind: 'job_status', jobKind: 'organic', jobUuid: 'u-1', minerHotkey: '5Miner', status: 'COMPLETED' });
    expect(anon.received[1]).toEqual({ kind: 'changed', timestamp: expect.any(String) });
    expect(JSON.stringify(anon.received)).not.toContain('5Miner');
    // a client that sends anything is closed: the feed is read-only
    const closed = new Promise<number>((resolve) => anon.ws.once('close', (code) => resolve(code)));
    anon.ws.send('hello?');
    expect(await closed).toBe(1008);
    full.ws.close();
    // the page lists the job status it missed while closed
    await fresh();
    const page = await (await fetch(`${base}/`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    expect(page).toMatch(/id="live-jobs"><li>.*u-1.*COMPLETED/);
  });
});
