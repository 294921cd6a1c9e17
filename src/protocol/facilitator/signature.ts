import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto';
import { sr25519VerifyFast } from './sr25519-fast';
import type { KeyringPair } from '@polkadot/keyring/types';
import { compactJson, pythonJson, pythonJsonString } from './json-text';
import { JsonNode, JsonNumber, JsonObject, plainToTree } from './json-tree';
import { pairsToTree, streamingDetailsTree, uploadTree, volumeTree } from './volumes-and-uploads';
import { RequestSignature, V0JobCheated, V2JobRequest } from './messages';

/**
 * Job-request signatures (organic-jobs.md §3, miner-protocol.md §11).
 * digest = BLAKE2b-512(uint64_be(timestamp_ns) || payload bytes); the sr25519 signature covers the digest.
 * Call `cryptoWaitReady()` from @polkadot/util-crypto once before verifying or signing.
 */

/** The SignedFields projection of a job request, compact JSON in the canonical key order (§3.2). */
export function signedFieldsText(req: V2JobRequest): string {
  const o = new JsonObject();
  o.set('executor_class', req.executor_class);
  o.set('docker_image', req.docker_image);
  o.set('args', [...req.args]);
  o.set('env', pairsToTree(req.env));
  o.set('use_gpu', req.use_gpu);
  o.set('artifacts_dir', req.artifacts_dir ?? '');
  o.set('on_trusted_miner', req.on_trusted_miner);
  o.set('download_time_limit', new JsonNumber(String(req.download_time_limit)));
  o.set('execution_time_limit', new JsonNumber(String(req.execution_time_limit)));
  o.set('upload_time_limit', new JsonNumber(String(req.upload_time_limit)));
  o.set('streaming_start_time_limit', new JsonNumber(String(req.streaming_start_time_limit)));
  o.set('streaming_details', streamingDetailsTree(req.streaming_details));
  const v = req.volume;
  o.set('volumes', v === null ? [] : v.volume_type === 'multi_volume' ? v.volumes.map(volumeTree) : [volumeTree(v)]);
  const u = req.output_upload;
  o.set('uploads', u === null ? [] : u.output_upload_type === 'multi_upload' ? u.uploads.map(uploadTree) : [uploadTree(u)]);
  return compactJson(o);
}

/** The bytes hashed after the timestamp for a job request: the SignedFields string JSON-encoded once more (§3.3). */
export function jobRequestSignedBytes(req: V2JobRequest): Uint8Array {
  return Buffer.from(pythonJsonString(signedFieldsText(req)), 'ascii');
}

/** What the reference validator hashes for a cheat report: Python JSON, sorted keys, encoded once (§8.2). */
export function cheatReportSingleText(report: Pick<V0JobCheated, 'job_uuid' | 'trusted_job_uuid' | 'details'>): string {
  const o = new JsonObject();
  o.set('job_uuid', report.job_uuid);
  o.set('trusted_job_uuid', report.trusted_job_uuid);
  o.set('details', report.details);
  return pythonJson(o, true);
}

/** What the SDK signs (and the facilitator verifies) for a cheat report: the single text as a JSON string literal (§8.2). */
export function cheatReportDoubleText(report: Pick<V0JobCheated, 'job_uuid' | 'trusted_job_uuid' | 'details'>): string {
  return pythonJsonString(cheatReportSingleText(report));
}

export function signatureDigest(timestampNs: bigint, payload: Uint8Array): Uint8Array {
  const buf = new Uint8Array(8 + payload.length);
  new DataView(buf.buffer).setBigUint64(0, timestampNs, false);
  buf.set(payload, 8);
  return blake2AsU8a(buf, 512);
}

/** True iff `sig` verifies over the digest of `payload` (plain or <Bytes>-wrapped). Malformed input is simply invalid. */
export function verifyRequestSignature(sig: RequestSignature, payload: Uint8Array): boolean {
  try {
    const raw = Buffer.from(sig.signature, 'base64');
    if (raw.length !== 64) return false;
    const publicKey = decodeAddress(sig.signatory);
    return sr25519VerifyFast(signatureDigest(sig.timestamp_ns, payload), raw, publicKey);
  } catch {
    return false;
  }
}

/** Signs like the SDK does (used by the simulated facilitator and tests). Returns standard base64. */
export function signRequestPayload(pair: KeyringPair, timestampNs: bigint, payload: Uint8Array): string {
  return Buffer.from(pair.sign(signatureDigest(timestampNs, payload))).toString('base64');
}

export type CheatSignatureMode = 'parity' | 'sdk-compatible';

/**
 * Verifies a cheat report. `parity` checks only the reference validator's single encoding, which
 * never matches what the SDK signs (§8.2); `sdk-compatible` also accepts the double encoding the SDK
 * and the facilitator actually use.
 */
export function verifyCheatReportSignature(report: V0JobCheated, mode: CheatSignatureMode): boolean {
  if (verifyRequestSignature(report.signature, Buffer.from(cheatReportSingleText(report), 'ascii'))) return true;
  return mode === 'sdk-compatible' && verifyRequestSignature(report.signature, Buffer.from(cheatReportDoubleText(report), 'ascii'));
}

export type JobRequestVerdict =
  | { ok: true }
  | { ok: false; message: string };

/**
 * The acceptance rule of §3.4: signature present, signatory is us or whitelisted, signature valid.
 * `isWhitelisted` is asked only for foreign signatories.
 */
export async function checkJobRequestSignature(
  req: V2JobRequest,
  ownHotkey: string,
  isWhitelisted: (ss58: string) => Promise<boolean>,
): Promise<JobRequestVerdict> {
  const sig = req.signature;
  if (sig === null) return { ok: false, message: 'Signature is empty' };
  if (sig.signatory !== ownHotkey && !(await isWhitelisted(sig.signatory))) {
    return { ok: false, message: `Signatory ${sig.signatory} is not in validator whitelist` };
  }
  if (!verifyRequestSignature(sig, jobRequestSignedBytes(req))) return { ok: false, message: 'Bad signature' };
  return { ok: true };
}

export { plainToTree };
export type { JsonNode };
