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

/**
 * Signs receipt payloads: the canonical blob's UTF-8 bytes (the `signBlob` rules; a receipt blob is a
 * JSON object, so it never starts with "0x"), signature as "0x" + 128 hex digits.
 */
export function receiptSignerFor(sign: SignBytes): ReceiptSigner {
  return async (payload) => {
    const blob = receiptBlob(payload);
    const signature = u8aToHex(await sign(stringToU8a(blob)));
    return { payload, blob, signature };
  };
}
