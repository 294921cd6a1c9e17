import type { KeyringPair } from '@polkadot/keyring/types';
import { decodePair } from '@polkadot/keyring/pair/decode';
import { u8aToU8a } from '@polkadot/util';
import { isReady as wasmIsReady, sr25519Sign as wasmSr25519Sign } from '@polkadot/wasm-crypto';
import { receiptBlob, signBlob, type ReceiptPayload, type SignedReceiptPayload } from '../../protocol';

export type ReceiptSigner = <P extends ReceiptPayload>(payload: P) => SignedReceiptPayload<P>;

/**
 * The same pair, signing sr25519 with @polkadot/wasm-crypto. A batch signs three receipts per job and
 * one auth message per miner (thousands per batch); @polkadot/util-crypto 14 signs sr25519 in pure JS
 * (~3-7 ms each), the wasm schnorrkel ~10× faster, producing ordinary sr25519 signatures over the
 * same bytes. Returns the pair itself when wasm is not initialised or the secret cannot be read
 * (locked pair, other key type).
 */
export function fastSigningPair(pair: KeyringPair): KeyringPair {
  if (pair.type !== 'sr25519' || !wasmIsReady()) return pair;
  let keys: { publicKey: Uint8Array; secretKey: Uint8Array };
  try {
    keys = decodePair(undefined, pair.encodePkcs8(), 'none');
    if (keys.secretKey.length !== 64) return pair;
  } catch {
    return pair;
  }
  const fast = Object.create(pair) as KeyringPair;
  Object.defineProperty(fast, 'sign', {
    value: (message: string | Uint8Array) => wasmSr25519Sign(keys.publicKey, keys.secretKey, u8aToU8a(message)),
  });
  return fast;
}

/** Signs receipt payloads (canonical blob, `signBlob` rules) with `pair`. */
export function receiptSignerFor(pair: KeyringPair): ReceiptSigner {
  return (payload) => {
    const blob = receiptBlob(payload);
    return { payload, blob, signature: signBlob(pair, blob) };
  };
}
