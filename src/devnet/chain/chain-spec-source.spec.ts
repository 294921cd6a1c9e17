import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAIN_SPECS, resolveChainSpec } from './chain-spec-source';

/**
 * The download path against a local HTTP server that plays the subtensor repository: the served
 * body is the real file from ../shared when present (good file), anything else (wrong checksum), or
 * no server at all (offline).
 */
describe('resolveChainSpec', () => {
  let dir: string;
  let server: Server | undefined;
  let served: Buffer;
  let requests: string[];
  const empty = () => mkdtempSync(join(tmpdir(), 'chv-spec-none-'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chv-spec-'));
    requests = [];
  });
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(body: Buffer): Promise<string> {
    served = body;
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200).end(served);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server!.address() as { port: number }).port}/subtensor`;
  }

  /** A spec whose pinned sha256 is that of `body` (the real files are too big to make here). */
  function withPin(body: Buffer) {
    const spec = CHAIN_SPECS['aura-dev.json'] as { sha256: string };
    const original = spec.sha256;
    spec.sha256 = createHash('sha256').update(body).digest('hex');
    return () => (spec.sha256 = original);
  }

  it('downloads the file at the pinned commit into the cache, checks it, and then uses the cache', async () => {
    const body = Buffer.from('{"name":"aura dev"}');
    const restore = withPin(body);
    try {
      const base = await serve(body);
      const env = { CHAIN_SPEC_BASE_URL: base, CHAIN_SPEC_CACHE: join(dir, 'cache') };
      const path = await resolveChainSpec('aura-dev.json', { env, sharedDir: empty() });
      expect(requests).toEqual([`/subtensor/${CHAIN_SPECS['aura-dev.json'].commit}/aura-dev.json`]);
      expect(readFileSync(path)).toEqual(body);
      expect(await resolveChainSpec('aura-dev.json', { env, sharedDir: empty() })).toBe(path);
      expect(requests).toHaveLength(1);
    } finally {
      restore();
    }
  });

  it('refuses a download with the wrong checksum, keeps nothing, and says what to do', async () => {
    const base = await serve(Buffer.from('not the chain spec'));
    const env = { CHAIN_SPEC_BASE_URL: base, CHAIN_SPEC_CACHE: join(dir, 'cache') };
    const failure = resolveChainSpec('raonet.json', { env, sharedDir: empty() });
    await expect(failure).rejects.toThrow(/has sha256 [0-9a-f]{64}, expected bb2c7e34390f8fb5032750cc7d80d23f91a47f56fdebf4c35a24c7938b96c57c; it was not used/);
    await expect(resolveChainSpec('raonet.json', { env, sharedDir: empty() })).rejects.toThrow(/point CHAIN_SPEC to it/);
    expect(existsSync(join(dir, 'cache', `e2b8367b8be2-raonet.json`))).toBe(false);
  });

  it('without a server says exactly what to fetch, from where, its checksum and where to put it', async () => {
    const closed = await serve(Buffer.alloc(0));
    await new Promise((r) => server!.close(r));
    server = undefined;
    const port = new URL(closed).port;
    const env = { CHAIN_SPEC_BASE_URL: `http://127.0.0.1:${port}/subtensor`, CHAIN_SPEC_CACHE: join(dir, 'cache') };
    await expect(resolveChainSpec('raonet.json', { env, sharedDir: empty() })).rejects.toThrow(
      `cannot download the chain spec raonet.json (ECONNREFUSED). Offline? Download scripts/specs/raonet.json of the subtensor repository ` +
        `(github.com/opentensor/subtensor) at commit e2b8367b8be2d9ce60ae5858c49138fa05f44a68 on a machine with internet ` +
        `(http://127.0.0.1:${port}/subtensor/e2b8367b8be2d9ce60ae5858c49138fa05f44a68/scripts/specs/raonet.json), check that its sha256 is ` +
        `bb2c7e34390f8fb5032750cc7d80d23f91a47f56fdebf4c35a24c7938b96c57c, and put it at ${join(dir, 'cache', 'e2b8367b8be2-raonet.json')} or point CHAIN_SPEC to it.`,
    );
  });

  it('prefers CHAIN_SPEC, then ../shared/chain, and never downloads then', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'chv-shared-'));
    writeFileSync(join(shared, 'raonet.json'), '{}');
    const env = { CHAIN_SPEC_BASE_URL: 'http://127.0.0.1:1/x', CHAIN_SPEC_CACHE: join(dir, 'cache') };
    expect(await resolveChainSpec('raonet.json', { env, sharedDir: shared })).toBe(join(shared, 'raonet.json'));
    expect(await resolveChainSpec('raonet.json', { env: { ...env, CHAIN_SPEC: join(shared, 'raonet.json') }, sharedDir: empty() })).toBe(join(shared, 'raonet.json'));
    await expect(resolveChainSpec('raonet.json', { env: { ...env, CHAIN_SPEC: join(shared, 'missing.json') } })).rejects.toThrow(/CHAIN_SPEC points to .*missing.json, which does not exist/);
    rmSync(shared, { recursive: true, force: true });
  });

  it('the real file passes its pinned checksum when ../shared has it (served as a download)', async () => {
    const real = join(__dirname, '..', '..', '..', '..', 'shared', 'chain', 'raonet.json');
    if (!existsSync(real)) return; // a clone without ../shared: the checks above cover the logic
    const base = await serve(readFileSync(real));
    const path = await resolveChainSpec('raonet.json', { env: { CHAIN_SPEC_BASE_URL: base, CHAIN_SPEC_CACHE: join(dir, 'cache') }, sharedDir: empty() });
    expect(path).toBe(join(dir, 'cache', 'e2b8367b8be2-raonet.json'));
  });
});
