import {
  pythonJsonDumps, type OutputUpload, type SingleFileUpload, type V0JobRequest, type Volume, type ZipUpload,
} from '../../protocol';
import { readZip, writeZip } from '../../common/zip';

/**
 * The executor's input/output steps (miner-protocol.md §7): download volumes into a file map, upload
 * /output as the job asks. Real HTTP, so an S3-compatible server works as the target.
 */

export class ExecutorStepError extends Error {
  constructor(readonly step: 'download' | 'upload', message: string) {
    super(message);
  }
}

const FETCH_TIMEOUT_MS = 300_000;

export async function loadVolume(volume: Volume | null | undefined, into = new Map<string, Buffer>()): Promise<Map<string, Buffer>> {
  if (!volume) return into;
  switch (volume.volume_type) {
    case 'inline':
      addZip(into, Buffer.from(volume.contents, 'base64'), volume.relative_path);
      return into;
    case 'zip_url':
      addZip(into, await download(volume.contents), volume.relative_path);
      return into;
    case 'single_file':
      into.set(cleanPath(volume.relative_path), await download(volume.url));
      return into;
    case 'huggingface_volume':
      throw new ExecutorStepError('download', `simulated executors cannot download Hugging Face repository ${volume.repo_id}`);
    case 'multi_volume':
      for (const v of volume.volumes) await loadVolume(v, into);
      return into;
  }
}

function addZip(into: Map<string, Buffer>, data: Buffer, relativePath: string | null | undefined): void {
  let entries: Map<string, Buffer>;
  try {
    entries = readZip(data);
  } catch (e) {
    throw new ExecutorStepError('download', `volume is not a valid ZIP: ${(e as Error).message}`);
  }
  const prefix = relativePath ? `${cleanPath(relativePath)}/` : '';
  for (const [name, content] of entries) into.set(`${prefix}${name}`, content);
}

function cleanPath(p: string): string {
  const parts = p.split('/').filter((x) => x !== '' && x !== '.');
  if (parts.includes('..')) throw new ExecutorStepError('download', `unsafe relative_path ${p}`);
  return parts.join('/');
}

async function download(url: string): Promise<Buffer> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new ExecutorStepError('download', `download of ${url} failed: ${(e as Error).message}`);
  }
}

/** Uploads /output as `upload` says; returns upload_results (relative path -> JSON string of headers and body). */
export async function uploadOutput(upload: OutputUpload | null | undefined, output: Map<string, Buffer>): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  if (!upload) return results;
  switch (upload.output_upload_type) {
    case 'zip_and_http_post':
    case 'zip_and_http_put':
      results['output.zip'] = await uploadZip(upload, output);
      return results;
    case 'single_file_post':
    case 'single_file_put':
      results[upload.relative_path] = await uploadSingle(upload, output);
      return results;
    case 'multi_upload': {
      const remaining = new Map(output);
      for (const u of upload.uploads) {
        results[u.relative_path] = await uploadSingle(u, output);
        remaining.delete(u.relative_path);
      }
      if (upload.system_output) results['system_output'] = await uploadZip(upload.system_output, remaining);
      return results;
    }
  }
}

async function uploadZip(upload: ZipUpload, files: Map<string, Buffer>): Promise<string> {
  const zip = writeZip([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), { deflate: true });
  if (upload.output_upload_type === 'zip_and_http_put') {
    return send(upload.url, { method: 'PUT', body: zip, headers: { 'Content-Length': String(zip.length) } });
  }
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.form_fields ?? {})) form.append(k, v);
  form.append('file', new Blob([zip]), 'output.zip');
  return send(upload.url, { method: 'POST', body: form });
}

async function uploadSingle(upload: SingleFileUpload, files: Map<string, Buffer>): Promise<string> {
  const content = files.get(upload.relative_path);
  if (!content) throw new ExecutorStepError('upload', `output file ${upload.relative_path} does not exist`);
  const headers: Record<string, string> = { ...(upload.signed_headers ?? {}) };
  if (upload.output_upload_type === 'single_file_put') {
    headers['Content-Length'] = String(content.length);
    return send(upload.url, { method: 'PUT', body: content, headers });
  }
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.form_fields ?? {})) form.append(k, v);
  form.append('file', new Blob([content]), upload.relative_path.split('/').pop() ?? 'file');
  return send(upload.url, { method: 'POST', body: form, headers });
}

async function send(url: string, init: RequestInit): Promise<string> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    const body = (await res.text()).slice(0, 10 * 2 ** 20);
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${body.slice(0, 200)}`);
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return pythonJsonDumps({ headers, body });
  } catch (e) {
    if (e instanceof ExecutorStepError) throw e;
    throw new ExecutorStepError('upload', `upload to ${url.split('?')[0]} failed: ${(e as Error).message}`);
  }
}

/** Executor truncation of stdout/stderr (§5.4): > 1,000,000 characters keep the first and last 500,000. */
export function truncateOutput(s: string): string {
  return s.length > 1_000_000 ? `${s.slice(0, 500_000)} ... ${s.slice(-500_000)}` : s;
}

export type { V0JobRequest };
