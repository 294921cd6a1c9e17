import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { migratedPostgres } from '../support/postgres';
import { testConfig } from '../support/app';
import { AppConfig } from '../../src/config/app-config';
import { SystemClock } from '../../src/config/clock';
import { ExclusiveRunner } from '../../src/database/exclusive-runner.service';
import { StaticValidatorHotkey } from '../../src/chain/validator-hotkey';
import { SystemEventsService } from '../../src/observability/system-events/system-events.service';
import { SystemEvent } from '../../src/observability/system-events/system-event.entity';
import { StatsUploadService } from '../../src/stats-upload/stats-upload.service';
import { statsSigningText } from '../../src/stats-upload/serialize-event';

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

describe('system events upload to the stats collector', () => {
  let db: Awaited<ReturnType<typeof migratedPostgres>>;
  let server: Server;
  let received: Received[] = [];
  let answer = 201;
  let base: string;

  beforeAll(async () => {
    await cryptoWaitReady();
    db = await migratedPostgres();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(body) });
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stats_collector/v0/`;
  });
  afterAll(async () => {
    server.close();
    await db.close();
  });

  function service(config: AppConfig) {
    const pair = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    return { pair, svc: new StatsUploadService(new SystemEventsService(db.dataSource), config, new StaticValidatorHotkey(pair), new SystemClock(), new ExclusiveRunner(db.dataSource)) };
  }

  it('posts unsent events signed by the hotkey and marks them sent only on 201', async () => {
    const events = new SystemEventsService(db.dataSource);
    await events.record({ type: 'JOB_ROUTING', subtype: 'JOB_ROUTING_FAILURE', description: 'Job X routing report', data: { job_uuid: 'X' } });
    await events.record({ type: 'METAGRAPH_SYNCING', subtype: 'SUCCESS' });
    const { pair, svc } = service(testConfig({ STATS_COLLECTOR_URL: base }));

    answer = 500;
    expect(await svc.uploadOnce()).toEqual({ failed: 'stats collector answered HTTP 500' });
    expect(await db.dataSource.getRepository(SystemEvent).countBy({ sent: false })).toBe(2);

    received = [];
    answer = 201;
    expect(await svc.uploadOnce()).toEqual({ uploaded: 2 });
    expect(await db.dataSource.getRepository(SystemEvent).countBy({ sent: false })).toBe(0);
    const [req] = received;
    expect(req.url).toBe(`/stats_collector/v0/validator/${pair.address}/system_events`);
    const ts = Number(req.headers['validator-signing-timestamp']);
    const sig = String(req.headers['validator-signature']);
    expect(signatureVerify(statsSigningText(ts, pair.address), sig, pair.address).isValid).toBe(true);
    expect(req.body).toEqual([
      expect.objectContaining({ type: 'JOB_ROUTING', subtype: 'JOB_ROUTING_FAILURE', data: { description: 'Job X routing report', job_uuid: 'X' } }),
      expect.objectContaining({ type: 'METAGRAPH_SYNCING', subtype: 'SUCCESS', data: { description: '' } }),
    ]);

    expect(await svc.uploadOnce()).toEqual({ uploaded: 0 });
  });

  it('keeps events when the collector is unreachable or disabled', async () => {
    await new SystemEventsService(db.dataSource).record({ type: 'VALIDATOR_TELEMETRY', subtype: 'SUCCESS' });
    expect(await service(testConfig({ STATS_COLLECTOR_URL: 'http://127.0.0.1:1/' })).svc.uploadOnce()).toMatchObject({ failed: expect.stringContaining('unreachable') });
    expect(await service(testConfig({ STATS_COLLECTOR_URL: '' })).svc.uploadOnce()).toEqual({ skipped: 'STATS_COLLECTOR_URL is empty' });
    expect(await db.dataSource.getRepository(SystemEvent).countBy({ sent: false })).toBe(1);
  });
});
