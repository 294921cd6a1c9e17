import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { roundIdentity } from './drand';

/**
 * drand timelock encryption (`tle`/`tld` of the `timelock` crate that subtensor and bittensor-drand
 * use) through its official WebAssembly build, `@ideallabs/timelock_wasm_wrapper` (pinned 1.0.0).
 *
 * The package is an ES module whose wasm-bindgen glue only declares functions and exports them. It is
 * evaluated here as a plain script in the current realm, with its `export` keywords dropped, and the
 * wasm bytes are instantiated synchronously. A native dynamic `import()` works once per process but not
 * under jest: a second test file in the same worker gets "Test environment has been torn down" (the
 * compiled import() stays bound to the first file's environment).
 */
interface TimelockWasm {
  initSync(input: { module: Uint8Array }): unknown;
  tle(identity: Uint8Array, message: Uint8Array, esk: Uint8Array, publicKey: Uint8Array, curve: 'bls12_381'): number[] | Uint8Array;
  tld(ciphertext: Uint8Array, signature: Uint8Array, curve: 'bls12_381'): number[] | Uint8Array;
}

const PACKAGE_ENTRY = '@ideallabs/timelock_wasm_wrapper/timelock_wasm_wrapper.js';
let loaded: TimelockWasm | undefined;

function load(): TimelockWasm {
  if (loaded) return loaded;
  const entry = require.resolve(PACKAGE_ENTRY);
  const source = readFileSync(entry, 'utf8')
    .replace(/^export function /gm, 'function ')
    .replace(/^export \{ initSync \};$/m, '')
    .replace(/^export default __wbg_init;$/m, '')
    .replace(/import\.meta\.url/g, 'undefined');
  if (/^\s*(export|import)\b/m.test(source)) throw new Error(`${entry}: unexpected module syntax (the loader expects @ideallabs/timelock_wasm_wrapper 1.0.0)`);
  const mod = new Function(`${source}\nreturn { initSync, tle, tld };`)() as TimelockWasm;
  mod.initSync({ module: readFileSync(entry.replace(/\.js$/, '_bg.wasm')) });
  loaded = mod;
  return mod;
}

/** Errors of the wasm module arrive as plain values or Error objects; one readable message. */
function wasmError(op: string, e: unknown): Error {
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return new Error(`timelock ${op} failed: ${text}`);
}

/** Encrypts `plaintext` so that only the beacon's signature of `round` decrypts it (fresh random ephemeral key). */
export async function timelockEncrypt(round: number, plaintext: Uint8Array, beaconPublicKey: Uint8Array): Promise<Uint8Array> {
  const wasm = load();
  try {
    return Uint8Array.from(wasm.tle(roundIdentity(round), plaintext, randomBytes(32), beaconPublicKey, 'bls12_381'));
  } catch (e) {
    throw wasmError('encryption', e);
  }
}

/** Decrypts with a round's signature (48-byte compressed G1); throws when it is not that round's. */
export async function timelockDecrypt(ciphertext: Uint8Array, signature: Uint8Array): Promise<Uint8Array> {
  const wasm = load();
  try {
    return Uint8Array.from(wasm.tld(ciphertext, signature, 'bls12_381'));
  } catch (e) {
    throw wasmError('decryption', e);
  }
}
