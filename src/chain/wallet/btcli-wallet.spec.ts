import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate, sr25519PairFromSeed } from '@polkadot/util-crypto';
import { hotkeyFilePath, loadHotkeyFile, WalletError, writeBtcliWallet } from './btcli-wallet';
import { loadValidatorHotkey } from './wallet-hotkey';
import { AppConfig } from '../../config/app-config';

const SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

describe('btcli wallet', () => {
  let dir: string;
  beforeAll(() => cryptoWaitReady());
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'chv-wallet-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rewrite = (path: string, change: (json: Record<string, unknown>) => void) => {
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(path, JSON.stringify(json));
  };

  it('writes a btcli key file and loads it back from secretSeed', async () => {
    const written = await writeBtcliWallet({ directory: dir, walletName: 'w', hotkeyName: 'h', secret: SEED });
    expect(written.hotkeyPath).toBe(hotkeyFilePath(dir, 'w', 'h'));
    expect(Object.keys(JSON.parse(readFileSync(written.hotkeyPath, 'utf8'))).sort()).toEqual(
      ['accountId', 'privateKey', 'publicKey', 'secretPhrase', 'secretSeed', 'ss58Address'],
    );
    expect((await loadHotkeyFile(written.hotkeyPath)).address).toBe(written.ss58Address);
  });

  it('loads from secretPhrase when there is no seed', async () => {
    const phrase = mnemonicGenerate(12);
    const written = await writeBtcliWallet({ directory: dir, walletName: 'w', hotkeyName: 'h', secret: phrase });
    rewrite(written.hotkeyPath, (j) => {
      j.secretSeed = null;
    });
    expect((await loadHotkeyFile(written.hotkeyPath)).address).toBe(written.ss58Address);
  });

  it('loads from privateKey in both the polkadot-js and the canonical schnorrkel form', async () => {
    const written = await writeBtcliWallet({ directory: dir, walletName: 'w', hotkeyName: 'h', secret: SEED });
    rewrite(written.hotkeyPath, (j) => {
      j.secretSeed = null;
      j.secretPhrase = null;
    });
    const pair = await loadHotkeyFile(written.hotkeyPath);
    expect(pair.address).toBe(written.ss58Address);
    // canonical form: the scalar divided by the cofactor 8
    const ed = sr25519PairFromSeed(SEED).secretKey;
    let scalar = 0n;
    for (let i = 31; i >= 0; i--) scalar = (scalar << 8n) | BigInt(ed[i]);
    scalar /= 8n;
    const canonical = new Uint8Array(64);
    for (let i = 0; i < 32; i++) canonical[i] = Number((scalar >> BigInt(8 * i)) & 0xffn);
    canonical.set(ed.subarray(32), 32);
    rewrite(written.hotkeyPath, (j) => {
      j.privateKey = u8aToHex(canonical);
    });
    const fromCanonical = await loadHotkeyFile(written.hotkeyPath);
    const msg = new Uint8Array([1, 2, 3]);
    expect(fromCanonical.verify(msg, fromCanonical.sign(msg), fromCanonical.publicKey)).toBe(true);
  });

  it('refuses a key file whose secret does not match its ss58Address, without printing the secret', async () => {
    const written = await writeBtcliWallet({ directory: dir, walletName: 'w', hotkeyName: 'h', secret: SEED });
    const other = await writeBtcliWallet({ directory: dir, walletName: 'w', hotkeyName: 'other', secret: new Uint8Array(32).fill(9) });
    rewrite(written.hotkeyPath, (j) => {
      j.ss58Address = other.ss58Address;
      delete j.publicKey;
    });
    const error = await loadHotkeyFile(written.hotkeyPath).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WalletError);
    expect((error as Error).message).toBe(`validator hotkey ${written.hotkeyPath}: the secret does not belong to ss58Address ${other.ss58Address}`);
    expect((error as Error).message).not.toContain(u8aToHex(SEED).slice(2));
  });

  it('names the path of a missing or unreadable file', async () => {
    const missing = join(dir, 'nope', 'hotkeys', 'default');
    await expect(loadHotkeyFile(missing)).rejects.toThrow(`validator hotkey ${missing}: file not found`);
    const garbage = join(dir, 'garbage');
    writeFileSync(garbage, '$NACL...encrypted');
    await expect(loadHotkeyFile(garbage)).rejects.toThrow(/not a btcli JSON key file/);
  });

  it('gives the daemon a hotkey that fails every use with the one clear error', async () => {
    const config = AppConfig.fromEnv({ BITTENSOR_WALLET_DIRECTORY: dir, BITTENSOR_WALLET_NAME: 'missing', BITTENSOR_WALLET_HOTKEY_NAME: 'hk' });
    const logged: string[] = [];
    const hotkey = await loadValidatorHotkey(config, { log: () => undefined, error: (m: string) => logged.push(m) } as never);
    expect(hotkey.available).toBe(false);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(join(dir, 'missing', 'hotkeys', 'hk'));
    expect(() => hotkey.pair).toThrow(`validator hotkey ${join(dir, 'missing', 'hotkeys', 'hk')}: file not found`);
    expect(() => hotkey.ss58).toThrow(WalletError);
  });
});
