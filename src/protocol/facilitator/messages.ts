import {
  asObject, FieldError, forbidExtra, join, laxInt, literal, oneOf, optBool, optString, reqBool, reqInt,
  reqString, reqStringList, stringPairs, StringPairs,
} from './fields';
import {
  OutputUpload, parseOutputUpload, parseStreamingDetails, parseVolume, StreamingDetails, Volume,
} from './volumes-and-uploads';
import { JsonNode, JsonObject, JsonSyntaxError, parseJsonTree } from './json-tree';

/** Executor classes accepted in facilitator job requests (miner-protocol.md §8, organic-jobs.md §2.3.5). */
export const FACILITATOR_EXECUTOR_CLASSES = ['spin_up-4min.gpu-24gb', 'always_on.gpu-24gb', 'always_on.llm.a6000', 'always_on.test'] as const;
export type FacilitatorExecutorClass = (typeof FACILITATOR_EXECUTOR_CLASSES)[number];

/** The SDK user's signature as forwarded by the facilitator. `timestamp_ns` is a bigint (it exceeds 2^53). */
export class RequestSignature {
  constructor(
    readonly signature_type: string,
    readonly signatory: string,
    readonly timestamp_ns: bigint,
    /** standard base64 of the 64-byte sr25519 signature */
    readonly signature: string,
    readonly signature_scope: 'SignedFields' | 'FullRequest',
  ) {}

  static parse(node: JsonNode | undefined, path: string): RequestSignature {
    const o = asObject(node, path);
    forbidExtra(o, ['signature_type', 'signatory', 'timestamp_ns', 'signature', 'signature_scope'], path);
    const ts = o.has('timestamp_ns') ? laxInt(o.get('timestamp_ns'), join(path, 'timestamp_ns')) : 0n;
    if (ts < 0n || ts >= 1n << 64n) throw new FieldError(join(path, 'timestamp_ns'), 'must fit in an unsigned 64-bit integer');
    const sig = reqString(o, 'signature', path);
    // The reference model decodes the base64 at parse time: bad base64 fails the whole message.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(sig) || sig.length % 4 !== 0) throw new FieldError(join(path, 'signature'), 'invalid base64');
    return new RequestSignature(
      optString(o, 'signature_type', path, '') ?? '',
      optString(o, 'signatory', path, '') ?? '',
      ts,
      sig,
      oneOf(o, 'signature_scope', path, ['SignedFields', 'FullRequest'] as const, 'SignedFields'),
    );
  }
}

const V2_KEYS = [
  'type', 'message_type', 'signature', 'uuid', 'job_namespace', 'executor_class', 'docker_image', 'args', 'env', 'use_gpu',
  'volume', 'output_upload', 'artifacts_dir', 'on_trusted_miner', 'download_time_limit', 'execution_time_limit',
  'upload_time_limit', 'streaming_start_time_limit', 'streaming_details',
] as const;

/** A job from the facilitator (organic-jobs.md §2.3.5). Extra top-level keys are refused, as in the reference. */
export class V2JobRequest {
  readonly message_type = 'V2JobRequest' as const;
  constructor(
    readonly signature: RequestSignature | null,
    readonly uuid: string,
    readonly job_namespace: string | null,
    readonly executor_class: FacilitatorExecutorClass,
    readonly docker_image: string,
    readonly args: readonly string[],
    readonly env: StringPairs,
    readonly use_gpu: boolean,
    readonly volume: Volume | null,
    readonly output_upload: OutputUpload | null,
    readonly artifacts_dir: string | null,
    readonly on_trusted_miner: boolean,
    readonly download_time_limit: number,
    readonly execution_time_limit: number,
    readonly upload_time_limit: number,
    readonly streaming_start_time_limit: number,
    readonly streaming_details: StreamingDetails | null,
  ) {}

  static fromTree(o: JsonObject): V2JobRequest {
    forbidExtra(o, V2_KEYS, '');
    literal(o, 'type', '', 'job.new', 'job.new');
    literal(o, 'message_type', '', 'V2JobRequest');
    const sig = o.get('signature');
    return new V2JobRequest(
      sig === undefined || sig === null ? null : RequestSignature.parse(sig, 'signature'),
      reqString(o, 'uuid', ''),
      optString(o, 'job_namespace', ''),
      oneOf(o, 'executor_class', '', FACILITATOR_EXECUTOR_CLASSES),
      reqString(o, 'docker_image', ''),
      reqStringList(o, 'args', ''),
      stringPairs(o.get('env'), 'env'),
      reqBool(o, 'use_gpu', ''),
      parseVolume(o.get('volume'), 'volume'),
      parseOutputUpload(o.get('output_upload'), 'output_upload'),
      optString(o, 'artifacts_dir', ''),
      optBool(o, 'on_trusted_miner', '', false),
      reqInt(o, 'download_time_limit', ''),
      reqInt(o, 'execution_time_limit', ''),
      reqInt(o, 'upload_time_limit', ''),
      reqInt(o, 'streaming_start_time_limit', ''),
      parseStreamingDetails(o.get('streaming_details'), 'streaming_details'),
    );
  }

  /** download + execution + upload limits (the streaming limit is not counted, §5.2). */
  get executorSeconds(): number {
    return this.download_time_limit + this.execution_time_limit + this.upload_time_limit;
  }
}

/** A cheat report (organic-jobs.md §2.3.6). `details` keeps its parsed tree for the signature check. */
export class V0JobCheated {
  readonly message_type = 'V0JobCheated' as const;
  constructor(
    readonly signature: RequestSignature,
    readonly job_uuid: string,
    readonly trusted_job_uuid: string,
    readonly details: JsonNode,
  ) {}

  static fromTree(o: JsonObject): V0JobCheated {
    forbidExtra(o, ['type', 'message_type', 'signature', 'job_uuid', 'trusted_job_uuid', 'details'], '');
    literal(o, 'type', '', 'job.cheated', 'job.cheated');
    literal(o, 'message_type', '', 'V0JobCheated');
    if (!o.has('details')) throw new FieldError('details', 'field required');
    return new V0JobCheated(
      RequestSignature.parse(o.get('signature'), 'signature'),
      reqString(o, 'job_uuid', ''),
      reqString(o, 'trusted_job_uuid', ''),
      o.get('details') as JsonNode,
    );
  }
}

export interface FacilitatorError {
  msg: string;
  type: string;
  help: string;
}

/** The facilitator's reply to auth and status updates (organic-jobs.md §2.3.1). */
export class FacilitatorResponse {
  constructor(readonly status: 'success' | 'error', readonly errors: FacilitatorError[]) {}

  static fromTree(o: JsonObject): FacilitatorResponse {
    forbidExtra(o, ['status', 'errors'], '');
    const status = oneOf(o, 'status', '', ['success', 'error'] as const);
    const errs = o.get('errors');
    const errors: FacilitatorError[] = [];
    if (errs !== undefined) {
      if (!Array.isArray(errs)) throw new FieldError('errors', 'expected an array');
      errs.forEach((e, i) => {
        const eo = asObject(e, `errors.${i}`);
        errors.push({ msg: reqString(eo, 'msg', `errors.${i}`), type: reqString(eo, 'type', `errors.${i}`), help: optString(eo, 'help', `errors.${i}`, '') ?? '' });
      });
    }
    return new FacilitatorResponse(status, errors);
  }
}

export type FacilitatorInbound =
  | { kind: 'response'; message: FacilitatorResponse }
  | { kind: 'job-request'; message: V2JobRequest }
  | { kind: 'job-cheated'; message: V0JobCheated }
  | {
      kind: 'malformed';
      reason: string;
      /** The uuid of a job request that failed validation, when one can be read (used to answer `rejected`). */
      jobUuid: string | null;
    };

/**
 * Parses one facilitator text frame. Never throws: anything that is not one of the three inbound
 * messages comes back as `malformed` with the reason (the reference tries Response, V2JobRequest,
 * V0JobCheated in that order and drops the rest).
 */
export function parseFacilitatorFrame(text: string): FacilitatorInbound {
  let tree: JsonNode;
  try {
    tree = parseJsonTree(text);
  } catch (e) {
    return { kind: 'malformed', reason: `invalid JSON: ${e instanceof JsonSyntaxError ? e.message : String(e)}`, jobUuid: null };
  }
  if (!(tree instanceof JsonObject)) return { kind: 'malformed', reason: 'not a JSON object', jobUuid: null };
  const mt = tree.get('message_type');
  try {
    if (mt === undefined) return { kind: 'response', message: FacilitatorResponse.fromTree(tree) };
    if (mt === 'V2JobRequest') return { kind: 'job-request', message: V2JobRequest.fromTree(tree) };
    if (mt === 'V0JobCheated') return { kind: 'job-cheated', message: V0JobCheated.fromTree(tree) };
    return { kind: 'malformed', reason: `unsupported message_type ${typeof mt === 'string' ? JSON.stringify(mt.slice(0, 80)) : 'of a non-string type'}`, jobUuid: null };
  } catch (e) {
    const reason = e instanceof FieldError ? e.message : `unexpected error: ${String(e)}`;
    const uuid = mt === 'V2JobRequest' ? tree.get('uuid') : undefined;
    return { kind: 'malformed', reason: `${typeof mt === 'string' ? mt : 'Response'}: ${reason}`, jobUuid: typeof uuid === 'string' && uuid.length <= 100 ? uuid : null };
  }
}

/** A WebSocket frame as received: binary frames are refused (the facilitator only sends text). */
export function parseFacilitatorFrameData(data: string | Buffer, isBinary: boolean): FacilitatorInbound {
  if (isBinary) return { kind: 'malformed', reason: `binary frame of ${data.length} bytes (only text frames are accepted)`, jobUuid: null };
  return parseFacilitatorFrame(typeof data === 'string' ? data : data.toString('utf8'));
}
