import { createServer } from 'node:net';
import { ChainConnection, ChainUnavailableError } from './chain-connection';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('ChainConnection against an unreachable endpoint', () => {
  it('retries with exponential backoff, logs each attempt and fails reads clearly', async () => {
    const endpoint = `ws://127.0.0.1:${await closedPort()}`;
    const warnings: string[] = [];
    const conn = new ChainConnection(endpoint, { log: () => undefined, warn: (m) => warnings.push(m) }, { initialBackoffMs: 100, maxBackoffMs: 400 });
    const started = Date.now();
    const error = await conn.ready(1400).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChainUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`^subtensor at ${endpoint} is not reachable \\(.+\\); retrying in the background$`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1300);
    expect(conn.connected).toBe(false);
    expect(conn.lastError).toBeTruthy();
    const delays = warnings.map((w) => /retry (\d+) in ([\d.]+) s/.exec(w)).filter((m) => m !== null).map((m) => [Number(m![1]), Number(m![2])]);
    expect(delays.slice(0, 4)).toEqual([
      [1, 0.1],
      [2, 0.2],
      [3, 0.4],
      [4, 0.4],
    ]);
    expect(warnings[0]).toContain(`cannot reach subtensor at ${endpoint}`);
    await conn.stop();
    const count = warnings.length;
    await new Promise((r) => setTimeout(r, 600));
    expect(warnings.length).toBe(count); // stopped means stopped
  });
});
