import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';

export interface H160KeyLocation {
  walletDirectory: string;
  walletName: string;
  hotkeyName: string;
}

export type H160KeyLookup = { kind: 'present'; account: PrivateKeyAccount; path: string } | { kind: 'absent'; path: string; reason: string };

/** `<wallet directory>/<wallet name>/h160/<hotkey name>` (collateral.md §2.1, shared with the contract tooling). */
export function h160KeyPath(loc: H160KeyLocation): string {
  return join(loc.walletDirectory, loc.walletName, 'h160', loc.hotkeyName);
}

/**
 * Reads the validator's H160 key file. Read again on every call (the reference memoised "absent"
 * forever, so a key added later needed a restart). Reasons never quote the file's content: a JSON
 * parse error message would echo part of the private key.
 */
export async function loadH160Key(loc: H160KeyLocation): Promise<H160KeyLookup> {
  const path = h160KeyPath(loc);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { kind: 'absent', path, reason: code === 'ENOENT' ? 'file not found' : `file not readable (${code ?? 'error'})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'absent', path, reason: 'file is not valid JSON' };
  }
  const raw = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).private_key : undefined;
  if (typeof raw !== 'string') return { kind: 'absent', path, reason: 'file has no "private_key" string' };
  const hex = raw.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return { kind: 'absent', path, reason: '"private_key" is not 32 bytes of hex' };
  try {
    return { kind: 'present', account: privateKeyToAccount(`0x${hex.toLowerCase()}`), path };
  } catch {
    return { kind: 'absent', path, reason: '"private_key" is not a valid secp256k1 key' };
  }
}
