import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, stringToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress, signatureVerify } from '@polkadot/util-crypto';

/**
 * sign_blob / Keypair.verify of the reference (miner-protocol.md §3.2-3.3): sr25519 over the UTF-8
 * bytes of a string, signature as "0x" + 128 lowercase hex digits.
 */

export type SignatureHex = string;

/** Signs the UTF-8 bytes of `blob`. Refuses blobs starting with "0x", which the reference would hex-decode. */
export function signBlob(pair: KeyringPair, blob: string): SignatureHex {
  if (blob.startsWith('0x')) throw new Error('refusing to sign a blob that starts with 0x (the reference would hex-decode it)');
  return u8aToHex(pair.sign(stringToU8a(blob)));
}

/**
 * True iff `signature` is a valid sr25519 signature of `message` (raw, or wrapped in <Bytes>...</Bytes>)
 * by `ss58`. Malformed signatures or addresses are invalid, never an exception.
 */
export function verifySignature(message: string | Uint8Array, signature: unknown, ss58: string): boolean {
  if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]{128}$/.test(signature)) return false;
  try {
    // the reference hex-decodes strings that start with 0x and takes everything else as UTF-8
    const bytes = typeof message !== 'string' ? message : message.startsWith('0x') && isHex(message) ? hexToU8a(message) : stringToU8a(message);
    const publicKey = decodeAddress(ss58);
    return signatureVerify(bytes, signature.toLowerCase(), publicKey).isValid;
  } catch {
    return false;
  }
}

/** Verifies a sign_blob signature over a string blob. */
export function verifyBlob(blob: string, signature: unknown, ss58: string): boolean {
  return verifySignature(blob, signature, ss58);
}

/** True iff `ss58` decodes to a 32-byte public key. */
export function isValidSs58(ss58: unknown): ss58 is string {
  if (typeof ss58 !== 'string' || ss58.length === 0) return false;
  try {
    return decodeAddress(ss58).length === 32;
  } catch {
    return false;
  }
}

/** Blob the miner signs in V0StreamingJobReadyRequest: "{job_uuid}:{ip}:{port}:{public_key}" (Python renders null as None). */
export function streamingReadyBlob(jobUuid: string, ip: string | null | undefined, port: number, publicKey: string): string {
  return `${jobUuid}:${ip ?? 'None'}:${port}:${publicKey}`;
}

/** [IMPROVE] check of V0StreamingJobReadyRequest.miner_signature (the reference does not verify it). */
export function verifyStreamingReady(msg: { job_uuid: string; ip?: string | null; port: number; public_key: string; miner_signature?: string | null }, minerHotkey: string): boolean {
  return verifyBlob(streamingReadyBlob(msg.job_uuid, msg.ip, msg.port, msg.public_key), msg.miner_signature, minerHotkey);
}
