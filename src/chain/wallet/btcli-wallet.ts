import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, mnemonicToMiniSecret, mnemonicValidate, signatureVerify, sr25519PairFromSeed } from '@polkadot/util-crypto';

export const SS58_PREFIX = 42;

/** Where btcli keeps a hotkey: <directory>/<wallet>/hotkeys/<hotkey>. */
export function hotkeyFilePath(directory: string, walletName: string, hotkeyName: string): string {
  return join(expandHome(directory), walletName, 'hotkeys', hotkeyName);
}

function expandHome(path: string): string {
  return path.startsWith('~/') ? join(process.env.HOME ?? '', path.slice(2)) : path;
}

/** A wallet problem. The message names the file and the reason, never any key material. */
export class WalletError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`validator hotkey ${path}: ${reason}`);
    this.name = 'WalletError';
  }
}

/** The JSON btcli writes for an unencrypted keypair (hotkeys are never encrypted). */
interface KeyFileJson {
  accountId?: string;
  publicKey?: string;
  privateKey?: string | null;
  secretPhrase?: string | null;
  secretSeed?: string | null;
  ss58Address?: string;
}

/**
 * Loads an sr25519 hotkey from a btcli key file. Uses secretSeed, else secretPhrase, else
 * privateKey, and checks that the result is the file's ss58Address (and publicKey when present).
 * Throws WalletError.
 */
export async function loadHotkeyFile(path: string): Promise<KeyringPair> {
  await cryptoWaitReady();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WalletError(path, code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})`);
  }
  let json: KeyFileJson;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    json = parsed as KeyFileJson;
  } catch {
    // An encrypted (NaCl / ansible-vault) file lands here too: hotkeys must be unencrypted.
    throw new WalletError(path, 'not a btcli JSON key file (is it encrypted? the validator needs an unencrypted hotkey)');
  }
  const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
  const pair = pairFromKeyFile(keyring, json, path);
  if (json.ss58Address !== undefined) {
    let expected: string;
    try {
      expected = u8aToHex(decodeAddress(json.ss58Address));
    } catch {
      throw new WalletError(path, 'ss58Address is not a valid ss58 address');
    }
    if (expected !== u8aToHex(pair.publicKey)) throw new WalletError(path, `the secret does not belong to ss58Address ${json.ss58Address}`);
  }
  if (typeof json.publicKey === 'string' && json.publicKey.toLowerCase() !== u8aToHex(pair.publicKey)) {
    throw new WalletError(path, 'the secret does not belong to publicKey');
  }
  return pair;
}

function pairFromKeyFile(keyring: Keyring, json: KeyFileJson, path: string): KeyringPair {
  if (typeof json.secretSeed === 'string' && json.secretSeed) {
    const seed = hexBytes(json.secretSeed, 32, 'secretSeed', path);
    return keyring.addFromSeed(seed);
  }
  if (typeof json.secretPhrase === 'string' && json.secretPhrase.trim()) {
    const phrase = json.secretPhrase.trim();
    if (!mnemonicValidate(phrase)) throw new WalletError(path, 'secretPhrase is not a valid BIP-39 mnemonic');
    return keyring.addFromSeed(mnemonicToMiniSecret(phrase));
  }
  if (typeof json.privateKey === 'string' && json.privateKey) {
    const secret = hexBytes(json.privateKey, 64, 'privateKey', path);
    const publicHex = json.publicKey ?? (json.ss58Address ? u8aToHex(decodeAddress(json.ss58Address)) : undefined);
    if (!publicHex || !isHex(publicHex)) throw new WalletError(path, 'privateKey needs publicKey or ss58Address beside it');
    const publicKey = hexToU8a(publicHex);
    // btcli tools write either schnorrkel's canonical secret (key ‖ nonce) or the ed25519-expanded
    // form polkadot-js uses (key·8 ‖ nonce); a test signature tells which one this is.
    for (const secretKey of [secret, canonicalToEd25519Form(secret)]) {
      const pair = keyring.addFromPair({ publicKey, secretKey });
      const probe = new TextEncoder().encode('compute-horde wallet check');
      if (signatureVerify(probe, pair.sign(probe), publicKey).isValid) return pair;
    }
    throw new WalletError(path, 'privateKey does not match publicKey');
  }
  throw new WalletError(path, 'no secretSeed, secretPhrase or privateKey in the key file');
}

function hexBytes(value: string, length: number, field: string, path: string): Uint8Array {
  if (!isHex(value) || hexToU8a(value).length !== length) throw new WalletError(path, `${field} is not ${length} hex bytes`);
  return hexToU8a(value);
}

/** schnorrkel SecretKey::to_ed25519_bytes: the scalar multiplied by the cofactor 8, nonce unchanged. */
function canonicalToEd25519Form(secret: Uint8Array): Uint8Array {
  let scalar = 0n;
  for (let i = 31; i >= 0; i--) scalar = (scalar << 8n) | BigInt(secret[i]);
  scalar = (scalar * 8n) & ((1n << 256n) - 1n);
  const out = new Uint8Array(64);
  for (let i = 0; i < 32; i++) out[i] = Number((scalar >> BigInt(8 * i)) & 0xffn);
  out.set(secret.subarray(32), 32);
  return out;
}

export interface WrittenWallet {
  hotkeyPath: string;
  ss58Address: string;
  pair: KeyringPair;
}

/**
 * Writes a btcli-compatible wallet (hotkey file + coldkeypub.txt) for the devnet, the demo and
 * tests. `secret` is a 32-byte seed or a BIP-39 mnemonic. Files are created with mode 0600.
 */
export async function writeBtcliWallet(opts: {
  directory: string;
  walletName: string;
  hotkeyName: string;
  secret: Uint8Array | string;
  coldkeySs58?: string;
}): Promise<WrittenWallet> {
  await cryptoWaitReady();
  const phrase = typeof opts.secret === 'string' ? opts.secret : null;
  const seed = typeof opts.secret === 'string' ? mnemonicToMiniSecret(opts.secret) : opts.secret;
  if (seed.length !== 32) throw new Error('a wallet seed must be 32 bytes');
  const raw = sr25519PairFromSeed(seed);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
  const pair = keyring.addFromSeed(seed);
  const hotkeyPath = hotkeyFilePath(opts.directory, opts.walletName, opts.hotkeyName);
  const keyJson: Required<KeyFileJson> = {
    accountId: u8aToHex(pair.publicKey),
    publicKey: u8aToHex(pair.publicKey),
    privateKey: u8aToHex(raw.secretKey),
    secretPhrase: phrase,
    secretSeed: u8aToHex(seed),
    ss58Address: pair.address,
  };
  mkdirSync(dirname(hotkeyPath), { recursive: true, mode: 0o700 });
  writeFileSync(hotkeyPath, JSON.stringify(keyJson), { mode: 0o600 });
  if (opts.coldkeySs58) {
    const cold = u8aToHex(decodeAddress(opts.coldkeySs58));
    writeFileSync(
      join(expandHome(opts.directory), opts.walletName, 'coldkeypub.txt'),
      JSON.stringify({ accountId: cold, publicKey: cold, privateKey: null, secretPhrase: null, secretSeed: null, ss58Address: opts.coldkeySs58 }),
      { mode: 0o600 },
    );
  }
  return { hotkeyPath, ss58Address: pair.address, pair };
}
