import type { KeyringPair } from '@polkadot/keyring/types';
import { decodePair } from '@polkadot/keyring/pair/decode';
import { u8aToU8a, u8aWrapBytes } from '@polkadot/util';
import { sr25519Verify } from '@polkadot/util-crypto';
import { isReady as wasmReady, sr25519Sign as wasmSign, sr25519Verify as wasmVerify } from '@polkadot/wasm-crypto';

/**
 * sr25519 through @polkadot/wasm-crypto. @polkadot/util-crypto 14 signs and verifies sr25519 in pure
 * JavaScript (@scure/sr25519: about 9 ms per operation on this machine, against 0.5-0.8 ms in wasm),
 * which would put ~40 ms of CPU on every organic job. Signatures are byte-compatible; without wasm
 * (not initialised by cryptoWaitReady) the JavaScript implementation is used.
 */

/** True if `signature` verifies over `message` or over `<Bytes>message</Bytes>` (as signatureVerify accepts). */
export function sr25519VerifyFast(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    if (wasmReady()) return wasmVerify(signature, message, publicKey) || wasmVerify(signature, u8aWrapBytes(message), publicKey);
    return sr25519Verify(message, signature, publicKey) || sr25519Verify(u8aWrapBytes(message), signature, publicKey);
  } catch {
    return false;
  }
}

/**
 * The raw sr25519 key pair of an unlocked keyring pair, for signing in wasm (here or on a signing
 * thread); null when the pair is locked or not sr25519.
 */
export function sr25519KeysOf(pair: KeyringPair): { publicKey: Uint8Array; secretKey: Uint8Array } | null {
  if (pair.type !== 'sr25519') return null;
  try {
    const keys = decodePair(undefined, pair.encodePkcs8(), ['none']);
    return keys.secretKey.length === 64 && keys.publicKey.length === 32 ? keys : null;
  } catch {
    return null;
  }
}

/**
 * The same pair with `sign` done in wasm. Falls back to the pair itself when its secret is not
 * available (locked or not sr25519). The secret never leaves this closure.
 */
export function withFastSigning(pair: KeyringPair): KeyringPair {
  const keys = sr25519KeysOf(pair);
  if (!keys) return pair;
  const { publicKey, secretKey } = keys;
  // The address getter re-encodes SS58 (with a blake2 checksum) on every read; it cannot change.
  const address = pair.address;
  return new Proxy(pair, {
    get(target, prop, receiver) {
      if (prop === 'address') return address;
      if (prop === 'sign') {
        return (message: string | Uint8Array, options?: { withType?: boolean }) => {
          if (options?.withType || !wasmReady()) return target.sign(message, options);
          return wasmSign(publicKey, secretKey, u8aToU8a(message));
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
