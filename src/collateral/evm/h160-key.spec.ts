import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { h160KeyPath, loadH160Key } from './h160-key';

// anvil's well-known account 1 (public test mnemonic): not a secret.
const KEY = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const ADDRESS = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('H160 key file (collateral.md §2.1)', () => {
  let dir: string;
  const loc = () => ({ walletDirectory: dir, walletName: 'validator', hotkeyName: 'default' });
  const write = (content: string) => {
    mkdirSync(join(dir, 'validator', 'h160'), { recursive: true });
    writeFileSync(h160KeyPath(loc()), content);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'h160-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives at <wallet dir>/<wallet name>/h160/<hotkey name>', () => {
    expect(h160KeyPath(loc())).toBe(join(dir, 'validator', 'h160', 'default'));
  });

  it.each([
    ['without 0x', KEY],
    ['with 0x', `0x${KEY}`],
    ['upper-case hex', KEY.toUpperCase()],
  ])('reads private_key %s', async (_label, pk) => {
    write(JSON.stringify({ address: ADDRESS, private_key: pk, public_key: '0x04' }));
    const found = await loadH160Key(loc());
    expect(found.kind).toBe('present');
    expect(found.kind === 'present' && found.account.address).toBe(ADDRESS);
  });

  it('a missing file is "absent", and a file added later is found without a restart', async () => {
    expect(await loadH160Key(loc())).toMatchObject({ kind: 'absent', reason: 'file not found' });
    write(JSON.stringify({ private_key: KEY }));
    expect((await loadH160Key(loc())).kind).toBe('present');
  });

  it.each([
    ['not JSON', `private_key=${KEY}`, 'file is not valid JSON'],
    ['no private_key', JSON.stringify({ address: ADDRESS }), 'file has no "private_key" string'],
    ['short key', JSON.stringify({ private_key: KEY.slice(2) }), '"private_key" is not 32 bytes of hex'],
    ['zero key', JSON.stringify({ private_key: '0'.repeat(64) }), '"private_key" is not a valid secp256k1 key'],
  ])('%s is "absent" with a reason that never quotes the key', async (_label, content, reason) => {
    write(content);
    const found = await loadH160Key(loc());
    expect(found).toMatchObject({ kind: 'absent', reason });
    expect(JSON.stringify(found)).not.toContain(KEY.slice(0, 16));
  });
});
