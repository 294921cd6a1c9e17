import {
  asObject, FieldError, join, optString, optStringPairs, reqString, StringPairs, describe,
} from './fields';
import { JsonNode, JsonObject } from './json-tree';

/**
 * Volumes and output uploads as they travel in V2JobRequest (organic-jobs.md §2.3.5). Maps keep their
 * received order; `canonical*` rebuilds each variant with all its fields in the model's order, absent
 * optional fields as null (§3.2), which is what the SDK signed.
 */

export type InlineVolume = { volume_type: 'inline'; contents: string; relative_path: string | null };
export type ZipUrlVolume = { volume_type: 'zip_url'; contents: string; relative_path: string | null };
export type SingleFileVolume = { volume_type: 'single_file'; url: string; relative_path: string };
export type HuggingfaceVolume = {
  volume_type: 'huggingface_volume';
  repo_id: string;
  repo_type: string | null;
  revision: string | null;
  relative_path: string | null;
  allow_patterns: string | string[] | null;
  token: string | null;
};
export type SimpleVolume = InlineVolume | ZipUrlVolume | SingleFileVolume | HuggingfaceVolume;
export type MultiVolume = { volume_type: 'multi_volume'; volumes: SimpleVolume[] };
export type Volume = SimpleVolume | MultiVolume;

export type SingleFilePostUpload = {
  output_upload_type: 'single_file_post';
  url: string;
  form_fields: StringPairs | null;
  relative_path: string;
  signed_headers: StringPairs | null;
};
export type SingleFilePutUpload = {
  output_upload_type: 'single_file_put';
  url: string;
  relative_path: string;
  signed_headers: StringPairs | null;
};
export type ZipAndHttpPostUpload = { output_upload_type: 'zip_and_http_post'; url: string; form_fields: StringPairs | null };
export type ZipAndHttpPutUpload = { output_upload_type: 'zip_and_http_put'; url: string };
export type SingleFileUpload = SingleFilePostUpload | SingleFilePutUpload;
export type ZipUpload = ZipAndHttpPostUpload | ZipAndHttpPutUpload;
export type MultiUpload = { output_upload_type: 'multi_upload'; uploads: SingleFileUpload[]; system_output: ZipUpload | null };
export type OutputUpload = SingleFileUpload | ZipUpload | MultiUpload;

export type StreamingDetails = { public_key: string; executor_ip: string | null };

function simpleVolume(node: JsonNode | undefined, path: string, allowMulti: boolean): Volume {
  const o = asObject(node, path);
  const t = o.get('volume_type');
  switch (t) {
    case 'inline':
    case 'zip_url':
      return { volume_type: t, contents: reqString(o, 'contents', path), relative_path: optString(o, 'relative_path', path) };
    case 'single_file':
      return { volume_type: t, url: reqString(o, 'url', path), relative_path: reqString(o, 'relative_path', path) };
    case 'huggingface_volume': {
      const ap = o.get('allow_patterns');
      let allow: string | string[] | null;
      if (ap === undefined || ap === null) allow = null;
      else if (typeof ap === 'string') allow = ap;
      else if (Array.isArray(ap)) {
        allow = ap.map((p, i) => {
          if (typeof p !== 'string') throw new FieldError(join(join(path, 'allow_patterns'), i), `expected a string, got ${describe(p)}`);
          return p;
        });
      } else throw new FieldError(join(path, 'allow_patterns'), `expected a string, a list of strings or null, got ${describe(ap)}`);
      return {
        volume_type: t,
        repo_id: reqString(o, 'repo_id', path),
        repo_type: optString(o, 'repo_type', path),
        revision: optString(o, 'revision', path),
        relative_path: optString(o, 'relative_path', path),
        allow_patterns: allow,
        token: optString(o, 'token', path),
      };
    }
    case 'multi_volume': {
      if (!allowMulti) throw new FieldError(join(path, 'volume_type'), 'multi_volume cannot be nested');
      const list = o.get('volumes');
      if (!Array.isArray(list)) throw new FieldError(join(path, 'volumes'), `expected an array, got ${describe(list)}`);
      return { volume_type: t, volumes: list.map((v, i) => simpleVolume(v, join(join(path, 'volumes'), i), false) as SimpleVolume) };
    }
    default:
      throw new FieldError(join(path, 'volume_type'), `unknown volume type ${typeof t === 'string' ? JSON.stringify(t) : describe(t)}`);
  }
}

export function parseVolume(node: JsonNode | undefined, path: string): Volume | null {
  if (node === undefined || node === null) return null;
  return simpleVolume(node, path, true);
}

function upload(node: JsonNode | undefined, path: string, allowed: readonly string[]): OutputUpload {
  const o = asObject(node, path);
  const t = o.get('output_upload_type');
  if (typeof t !== 'string' || !allowed.includes(t)) {
    throw new FieldError(join(path, 'output_upload_type'), `expected one of ${allowed.join(', ')}, got ${typeof t === 'string' ? JSON.stringify(t) : describe(t)}`);
  }
  switch (t) {
    case 'single_file_post':
      return {
        output_upload_type: t,
        url: reqString(o, 'url', path),
        form_fields: optStringPairs(o, 'form_fields', path),
        relative_path: reqString(o, 'relative_path', path),
        signed_headers: optStringPairs(o, 'signed_headers', path),
      };
    case 'single_file_put':
      return { output_upload_type: t, url: reqString(o, 'url', path), relative_path: reqString(o, 'relative_path', path), signed_headers: optStringPairs(o, 'signed_headers', path) };
    case 'zip_and_http_post':
      return { output_upload_type: t, url: reqString(o, 'url', path), form_fields: optStringPairs(o, 'form_fields', path) };
    case 'zip_and_http_put':
      return { output_upload_type: t, url: reqString(o, 'url', path) };
    default: {
      const list = o.get('uploads');
      if (!Array.isArray(list)) throw new FieldError(join(path, 'uploads'), `expected an array, got ${describe(list)}`);
      const so = o.get('system_output');
      return {
        output_upload_type: 'multi_upload',
        uploads: list.map((u, i) => upload(u, join(join(path, 'uploads'), i), ['single_file_post', 'single_file_put']) as SingleFileUpload),
        system_output: so === undefined || so === null ? null : (upload(so, join(path, 'system_output'), ['zip_and_http_post', 'zip_and_http_put']) as ZipUpload),
      };
    }
  }
}

export function parseOutputUpload(node: JsonNode | undefined, path: string): OutputUpload | null {
  if (node === undefined || node === null) return null;
  return upload(node, path, ['single_file_post', 'single_file_put', 'zip_and_http_post', 'zip_and_http_put', 'multi_upload']);
}

export function parseStreamingDetails(node: JsonNode | undefined, path: string): StreamingDetails | null {
  if (node === undefined || node === null) return null;
  const o = asObject(node, path);
  return { public_key: reqString(o, 'public_key', path), executor_ip: optString(o, 'executor_ip', path) };
}

// ---- canonical trees (all fields, model order) ----

function pairsTree(p: StringPairs | null): JsonNode {
  if (p === null) return null;
  const o = new JsonObject();
  for (const [k, v] of p) o.set(k, v);
  return o;
}

function obj(entries: [string, JsonNode][]): JsonObject {
  const o = new JsonObject();
  for (const [k, v] of entries) o.set(k, v);
  return o;
}

export function volumeTree(v: Volume): JsonObject {
  switch (v.volume_type) {
    case 'inline':
    case 'zip_url':
      return obj([['volume_type', v.volume_type], ['contents', v.contents], ['relative_path', v.relative_path]]);
    case 'single_file':
      return obj([['volume_type', v.volume_type], ['url', v.url], ['relative_path', v.relative_path]]);
    case 'huggingface_volume':
      return obj([
        ['volume_type', v.volume_type], ['repo_id', v.repo_id], ['repo_type', v.repo_type], ['revision', v.revision],
        ['relative_path', v.relative_path], ['allow_patterns', v.allow_patterns === null ? null : Array.isArray(v.allow_patterns) ? [...v.allow_patterns] : v.allow_patterns],
        ['token', v.token],
      ]);
    case 'multi_volume':
      return obj([['volume_type', v.volume_type], ['volumes', v.volumes.map(volumeTree)]]);
  }
}

export function uploadTree(u: OutputUpload): JsonObject {
  switch (u.output_upload_type) {
    case 'single_file_post':
      return obj([['output_upload_type', u.output_upload_type], ['url', u.url], ['form_fields', pairsTree(u.form_fields)], ['relative_path', u.relative_path], ['signed_headers', pairsTree(u.signed_headers)]]);
    case 'single_file_put':
      return obj([['output_upload_type', u.output_upload_type], ['url', u.url], ['relative_path', u.relative_path], ['signed_headers', pairsTree(u.signed_headers)]]);
    case 'zip_and_http_post':
      return obj([['output_upload_type', u.output_upload_type], ['url', u.url], ['form_fields', pairsTree(u.form_fields)]]);
    case 'zip_and_http_put':
      return obj([['output_upload_type', u.output_upload_type], ['url', u.url]]);
    case 'multi_upload':
      return obj([['output_upload_type', u.output_upload_type], ['uploads', u.uploads.map(uploadTree)], ['system_output', u.system_output ? uploadTree(u.system_output) : null]]);
  }
}

export function streamingDetailsTree(s: StreamingDetails | null): JsonNode {
  return s === null ? null : obj([['public_key', s.public_key], ['executor_ip', s.executor_ip]]);
}

export function pairsToTree(p: StringPairs | null): JsonNode {
  return pairsTree(p);
}

/** Plain JSON (for the miner messages, where order is not signed). */
export function pairsToRecord(p: StringPairs | null): Record<string, string> | null {
  if (p === null) return null;
  const r: Record<string, string> = {};
  for (const [k, v] of p) r[k] = v;
  return r;
}
