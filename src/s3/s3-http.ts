/**
 * Plain HTTP against presigned / public URLs (reference: upload_prompts_to_s3_url,
 * download_prompts_from_s3_url, download_file_content).
 */

export class S3HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status} from ${redactUrl(url)}${s3ErrorSuffix(body)}`);
    this.name = 'S3HttpError';
  }
  /** The S3 error code from an XML error body (SignatureDoesNotMatch, NoSuchBucket, ...), if any. */
  get code(): string | undefined {
    return parseS3ErrorCode(this.body);
  }
}

export class S3ConnectionError extends Error {
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly reason: string,
  ) {
    super(`could not reach ${redactUrl(url)} after ${attempts} attempt(s): ${reason}`);
    this.name = 'S3ConnectionError';
  }
}

export interface RetryOptions {
  attempts?: number;
  delayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = { attempts: 3, delayMs: 1000, timeoutMs: 30_000 };

export function parseS3ErrorCode(body: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}

function s3ErrorSuffix(body: string): string {
  const code = parseS3ErrorCode(body);
  const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  if (!code) return '';
  return `: ${code}${message ? ` (${message})` : ''}`;
}

/** Drops the query (it carries the signature and the access key id) from a URL for messages. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?<signature redacted>`;
}

type ErrorLike = { name?: string; message?: string; code?: string; cause?: unknown };

function isErrorLike(e: unknown): e is ErrorLike {
  // duck-typed: errors from undici may come from another realm (jest), so instanceof is unreliable
  return typeof e === 'object' && e !== null && 'message' in e;
}

function describeFetchError(e: unknown): string {
  if (!isErrorLike(e)) return String(e);
  if (e.name === 'TimeoutError') return 'timed out';
  const cause = e.cause;
  if (isErrorLike(cause)) {
    const inner = isErrorLike(cause.cause) ? cause.cause : undefined;
    return `${e.message}: ${cause.code ?? inner?.code ?? cause.message ?? ''}`.trim();
  }
  return e.message ?? String(e);
}

/**
 * fetch with the reference's retry policy: connection errors and timeouts are retried (3 attempts,
 * 1 s apart); an HTTP error status is final.
 */
export async function fetchWithRetry(url: string, init: RequestInit, opts: RetryOptions = {}): Promise<Response> {
  const attempts = opts.attempts ?? DEFAULTS.attempts;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULTS.timeoutMs) });
    } catch (e) {
      last = describeFetchError(e);
      if (i < attempts) await sleep(opts.delayMs ?? DEFAULTS.delayMs);
    }
  }
  throw new S3ConnectionError(url, attempts, last);
}

/** PUT UTF-8 text to a presigned URL; no Content-Type header (a SigV2 signature covers it). */
export async function uploadPromptsToS3Url(url: string, text: string, opts: RetryOptions = {}): Promise<void> {
  const res = await fetchWithRetry(url, { method: 'PUT', body: new Uint8Array(Buffer.from(text, 'utf8')) }, opts);
  const body = await res.text();
  if (res.status < 200 || res.status >= 300) throw new S3HttpError(url, res.status, body);
}

/** GET a prompts file and split it into lines the way Python's str.splitlines does. */
export async function downloadPromptsFromS3Url(url: string, opts: RetryOptions = {}): Promise<string[]> {
  const res = await fetchWithRetry(url, { method: 'GET' }, opts);
  const body = await res.text();
  if (res.status < 200 || res.status >= 300) throw new S3HttpError(url, res.status, body);
  return splitLines(body);
}

/** GET raw bytes, single attempt (callers add their own retries). */
export async function downloadFileContent(url: string, timeoutMs = DEFAULTS.timeoutMs): Promise<Buffer> {
  const res = await fetchWithRetry(url, { method: 'GET' }, { attempts: 1, timeoutMs });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status < 200 || res.status >= 300) throw new S3HttpError(url, res.status, bytes.toString('utf8'));
  return bytes;
}

/** Python str.splitlines(): no trailing empty element, \r\n counts once, the exotic separators too. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
