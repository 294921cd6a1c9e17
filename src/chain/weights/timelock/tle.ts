import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { roundIdentity } from './drand';

/**
 * drand timelock encryption (`tle`/`tld` of the `timelock` crate that subtensor and bittensor-drand
 * use) through its official WebAssembly build, `@ideallabs/timelock_wasm_wrapper`. The package is an
 * ES module: TypeScript's CommonJS output would turn `import()` into `require()`, so a native dynamic
 * import loads it, and the wasm bytes are instantiated synchronously from the package's own file.
 */
interface TimelockWasm {
  initSync(input: { module: Uint8Array }): unknown;
  tle(identity: Uint8Array, message: Uint8Array, esk: Uint8Array, publicKey: Uint8Array, curve: 'bls12_381'): number[] | Uint8Array;
  tld(ciphertext: Uint8Array, signature: Uint8Array, curve: 'bls12_381'): number[] | Uint8Array;
}

const PACKAGE_ENTRY = '@ideallabs/timelock_wasm_wrapper/timelock_wasm_wrapper.js';
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<TimelockWasm>;
let loading: Promise<TimelockWasm> | undefined;

function load(): Promise<TimelockWasm> {
  loading ??= (async () => {
    const entry = require.resolve(PACKAGE_ENTRY);
    const mod = await nativeImport(pathToFileURL(entry).href);
    mod.initSync({ module: readFileSync(entry.replace(/\.js$/, '_bg.wasm')) });
    return mod;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

/** Errors of the wasm module arrive as plain values or Error objects; one readable message. */
function wasmError(op: string, e: unknown): Error {
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return new Error(`timelock ${op} failed: ${text}`);
}

/** Encrypts `plaintext` so that only the beacon's signature of `round` decrypts it (fresh random ephemeral key). */
export async function timelockEncrypt(round: number, plaintext: Uint8Array, beaconPublicKey: Uint8Array): Promise<Uint8Array> {
  const wasm = await load();
  try {
    return Uint8Array.from(wasm.tle(roundIdentity(round), plaintext, randomBytes(32), beaconPublicKey, 'bls12_381'));
  } catch (e) {
    throw wasmError('encryption', e);
  }
}

/** Decrypts with a round's signature (48-byte compressed G1); throws when it is not that round's. */
export async function timelockDecrypt(ciphertext: Uint8Array, signature: Uint8Array): Promise<Uint8Array> {
  const wasm = await load();
  try {
    return Uint8Array.from(wasm.tld(ciphertext, signature, 'bls12_381'));
  } catch (e) {
    throw wasmError('decryption', e);
  }
}
