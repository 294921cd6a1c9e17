import type { KeyringPair } from '@polkadot/keyring/types';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { receiptBlob, type ReceiptPayload, type SignedReceiptPayload } from '../../protocol';

export type ReceiptSigner = <P extends ReceiptPayload>(payload: P) => Promise<SignedReceiptPayload<P>>;

/** Signs raw bytes with the validator hotkey: the pair itself, or a signing pool over it. */
export type SignBytes = (message: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** `pair.sign` as a SignBytes. */
export function signBytesWith(pair: KeyringPair): SignBytes {
  return (message) => pair.sign(message);
}

/** `signBlob` through a SignBytes: the blob's UTF-8 bytes, signature as "0x" + 128 hex digits. */
export async function signBlobWith(sign: SignBytes, blob: string): Promise<string> {
  if (blob.startsWith('0x')) throw new Error('refusing to sign a blob that starts with 0x (the reference would hex-decode it)');
  return u8aToHex(await sign(stringToU8a(blob)));
}

/** Signs receipt payloads: their canonical blob (a JSON object) with `signBlobWith`. */
export function receiptSignerFor(sign: SignBytes): ReceiptSigner {
  return async (payload) => {
    const blob = receiptBlob(payload);
    return { payload, blob, signature: await signBlobWith(sign, blob) };
  };
}
