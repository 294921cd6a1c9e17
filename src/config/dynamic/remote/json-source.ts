import { parseJsonLossless } from './lossless-json';
import { parseRemoteDocument, RemoteDocument } from './remote-document';

/** The reference sends this User-Agent (GitHub's raw host requires one). */
export const USER_AGENT = 'backend-developers-ltd';
const MAX_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/** A failure worth retrying (network, HTTP status, a body that is not the expected JSON). */
export class RemoteFetchError extends Error {}

/** validator-config-<env>.json, then common-config-<env>.json: applied in this order, so common wins. */
export function jsonConfigUrls(baseUrl: string, env: string): string[] {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return [`${base}validator-config-${env}.json`, `${base}common-config-${env}.json`];
}

/** GETs one published file and parses it (configuration.md §5.2); non-2xx and bad JSON throw RemoteFetchError. */
export async function fetchJsonDocument(url: string, now: Date): Promise<RemoteDocument> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { 'User-Agent': USER_AGENT }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new RemoteFetchError(`${url}: ${describeFetchError(e)}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new RemoteFetchError(`${url}: HTTP ${res.status}`);
  }
  const text = await readCapped(res, url);
  let doc: unknown;
  try {
    doc = parseJsonLossless(text);
  } catch (e) {
    throw new RemoteFetchError(`${url}: not JSON (${(e as Error).message})`);
  }
  try {
    return parseRemoteDocument(url, doc, now);
  } catch (e) {
    throw new RemoteFetchError((e as Error).message);
  }
}

async function readCapped(res: Response, url: string): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel();
      throw new RemoteFetchError(`${url}: larger than ${MAX_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFetchError(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return err.cause?.code ?? err.cause?.message ?? err.message;
}
