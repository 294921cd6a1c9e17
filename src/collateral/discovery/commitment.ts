/**
 * The validator's knowledge commitment carries its collateral contract address as UTF-8 JSON
 * `{"contract": {"address": "0x…"}}` (collateral.md §4, written by the contract repository's
 * publish script with Python's default separators). Parsed, never string-matched.
 * Returns the address as written (any letter case), or null when the bytes do not carry one.
 */
export function contractAddressFromCommitment(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(parsed) || !isObject(parsed.contract)) return null;
  const address = parsed.contract.address;
  return typeof address === 'string' && address.length > 0 ? address : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
