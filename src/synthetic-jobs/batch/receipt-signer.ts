import type { KeyringPair } from '@polkadot/keyring/types';
import { decodePair } from '@polkadot/keyring/pair/decode';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { isReady as wasmIsReady, sr25519Sign as wasmSr25519Sign } from '@polkadot/wasm-crypto';
import { receiptBlob, signBlob, type ReceiptPayload, type SignedReceiptPayload } from '../../protocol';

export type ReceiptSigner = <P extends ReceiptPayload>(payload: P) => SignedReceiptPayload<P>;

/**
 * Signs receipt blobs for a batch. A batch signs three receipts per job (thousands per batch), and
 * @polkadot/util-crypto 14 signs sr25519 in pure JS (~3-7 ms each); the wasm schnorrkel of
 * @polkadot/wasm-crypto is ~10× faster and produces ordinary sr25519 signatures over the same bytes
 * (verified by any sr25519 verifier). Falls back to the protocol's signBlob when the wasm module is
 * not initialised or the pair's secret cannot be read (locked pair).
 */
export function receiptSignerFor(pair: KeyringPair): ReceiptSigner {
  const fallback: ReceiptSigner = (payload) => {
    const blob = receiptBlob(payload);
    return { payload, blob, signature: signBlob(pair, blob) };
  };
  if (pair.type !== 'sr25519' || !wasmIsReady()) return fallback;
  let keys: { publicKey: Uint8Array; secretKey: Uint8Array };
  try {
    keys = decodePair(undefined, pair.encodePkcs8(), 'none');
    if (keys.secretKey.length !== 64) return fallback;
  } catch {
    return fallback;
  }
  return (payload) => {
    const blob = receiptBlob(payload);
    // same guard as signBlob: the reference would hex-decode a blob that starts with 0x
    if (blob.startsWith('0x')) return fallback(payload);
    return { payload, blob, signature: u8aToHex(wasmSr25519Sign(keys.publicKey, keys.secretKey, stringToU8a(blob))) };
  };
}
