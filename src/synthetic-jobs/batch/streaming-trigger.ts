import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { SelfSignedCertificate } from '../../common/self-signed-certificate';

/**
 * The HTTPS trigger of a streaming synthetic job (synthetic-jobs.md §5.3.5 steps 3-5) [INTEROP]:
 * POST https://{ip}:{port}/execute-job {"seed": n} with mutual TLS, then always GET /terminate.
 * The executor's certificate from V0StreamingJobReadyRequest is the only trust anchor (normal IP or
 * host name verification on top), and the server must present exactly that certificate; the
 * validator presents its per-batch certificate.
 */

/** HTTP timeout of the trigger requests: the 30 s processing limit (LLM generator) plus the reference's 5 s leeway. */
export const STREAMING_HTTP_TIMEOUT_MS = 35_000;
/** Larger bodies are not a hash map of one file; stop reading. */
const MAX_BODY_BYTES = 1 << 20;

export interface StreamingTarget {
  /** Executor address from the ready message (null when the miner did not fill it). */
  ip: string | null | undefined;
  port: number;
  /** The executor's PEM certificate from the ready message. */
  certPem: string;
}

export interface StreamingTriggerResult {
  url: string;
  /** Wall time of a POST that answered 2xx, in seconds; null otherwise (no time verdict then). */
  processingSeconds: number | null;
  /** First value of the JSON object /execute-job returned: the sha256 hex of the answers file. */
  responseHash: string | null;
  /** Why there is no hash (reference wording), or null. */
  failReason: string | null;
  /** Why /terminate failed (logged only), or null. */
  terminateError: string | null;
}

export interface StreamingTriggerOptions {
  jobUuid: string;
  target: StreamingTarget;
  seed: number;
  /** The validator's per-batch certificate and key. */
  client: SelfSignedCertificate;
  timeoutMs?: number;
}

export async function triggerStreamingJob(opts: StreamingTriggerOptions): Promise<StreamingTriggerResult> {
  const { ip, port } = opts.target;
  const base = `https://${ip && isIP(ip) === 6 ? `[${ip}]` : ip ?? 'None'}:${port}`;
  const url = `${base}/execute-job`;
  const result: StreamingTriggerResult = { url, processingSeconds: null, responseHash: null, failReason: null, terminateError: null };
  const failed = (why: string) => `Failed to execute streaming job ${opts.jobUuid} on ${url}: ${why}`;
  if (!ip) {
    result.failReason = failed('the ready message has no executor ip');
    return result;
  }
  let expectedFingerprint: string;
  try {
    expectedFingerprint = new X509Certificate(opts.target.certPem).fingerprint256;
  } catch (e) {
    result.failReason = failed(`the executor certificate does not parse: ${(e as Error).message}`);
    return result;
  }
  const tls: RequestOptions = {
    host: ip,
    port,
    ca: opts.target.certPem,
    cert: opts.client.certPem,
    key: opts.client.keyPem(),
    agent: false,
    headers: { Host: ip },
    // Trust the announced certificate only: the CA check already requires it (or a certificate it
    // signed, which a CA=false certificate must not do); insist on that very certificate as well.
    checkServerIdentity: (host: string, cert: PeerCertificate) =>
      checkServerIdentity(host, cert) ?? (cert.fingerprint256 === expectedFingerprint ? undefined : new Error('the server certificate is not the one in the ready message')),
  };
  const timeoutMs = opts.timeoutMs ?? STREAMING_HTTP_TIMEOUT_MS;
  const body = JSON.stringify({ seed: opts.seed });
  const started = performance.now();
  try {
    const res = await exchange({ ...tls, method: 'POST', path: '/execute-job', headers: { ...tls.headers as Record<string, string>, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } }, body, timeoutMs);
    if (res.status < 200 || res.status > 299) {
      result.failReason = failed(`HTTP ${res.status}, the response was: ${JSON.stringify(res.body.subarray(0, 100).toString('latin1'))}`);
    } else {
      result.processingSeconds = (performance.now() - started) / 1000;
      const hash = firstStringValue(res.body);
      if (typeof hash === 'string') result.responseHash = hash;
      else result.failReason = `Malformed response from ${url} (job_uuid=${opts.jobUuid}), reason=${hash.error}`;
    }
  } catch (e) {
    result.failReason = failed((e as Error).message);
  }
  try {
    const res = await exchange({ ...tls, method: 'GET', path: '/terminate' }, null, timeoutMs);
    if (res.status !== 200) result.terminateError = `GET ${base}/terminate answered HTTP ${res.status}`;
  } catch (e) {
    result.terminateError = `GET ${base}/terminate failed: ${(e as Error).message}`;
  }
  return result;
}

function firstStringValue(body: Buffer): string | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: `expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}` };
  const values = Object.values(parsed);
  if (values.length === 0) return { error: 'the object has no answer file hash' };
  return typeof values[0] === 'string' ? values[0] : { error: `the answer file hash is not a string (${JSON.stringify(values[0])})` };
}

function exchange(options: RequestOptions, body: string | null, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy(new Error(`response body larger than ${MAX_BODY_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
      res.on('error', fail);
    });
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e);
    };
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
    req.on('error', fail);
    req.end(body ?? undefined);
  });
}
