import { createHash } from 'node:crypto';
import type { Hex } from 'viem';

/** Attempts of one slash: the first plus 5 retries (collateral.md §7.2). */
export const MAX_SLASH_ATTEMPTS = 6;
export const RECEIPT_POLL_INTERVAL_MS = 2_000;
export const RECEIPT_TIMEOUT_MS = 300_000;
export const URL_FETCH_TIMEOUT_MS = 10_000;
export const ZERO_MD5: Hex = '0x00000000000000000000000000000000';

/** Seconds before retry number `retriesSoFar + 1`: min(120, 2 · 2^retries) = 2, 4, 8, 16, 32. */
export function retryDelaySeconds(retriesSoFar: number): number {
  return Math.min(120, 2 * 2 ** retriesSoFar);
}

/** The URL the reference puts into a slash for a cheated job (no HTTP request is made for it). */
export function cheatedJobUrl(jobUuid: string): string {
  return `job ${jobUuid} cheated`;
}

export function md5Hex(body: Uint8Array): Hex {
  return `0x${createHash('md5').update(body).digest('hex')}`;
}

export function isHttpUrl(url: string): boolean {
  return url.startsWith('http://') || url.startsWith('https://');
}
