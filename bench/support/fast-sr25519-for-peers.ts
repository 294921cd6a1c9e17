/**
 * Benchmark only: makes @polkadot/util-crypto's sr25519 use wasm for everyone in this process, i.e.
 * also for the simulated miners and facilitator (the validator's own path already signs and verifies
 * in wasm, see src/protocol/facilitator/sr25519-fast.ts). Without this the simulated peers' pure-JS
 * sr25519 (~9 ms per operation, ~8 operations per job) saturates the CPU the validator is measured on.
 * Must be imported before anything else loads @polkadot/keyring or util-crypto's signature code.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const wasm = require('@polkadot/wasm-crypto') as typeof import('@polkadot/wasm-crypto');
const { u8aToU8a } = require('@polkadot/util') as typeof import('@polkadot/util');
const verifyModule = require('@polkadot/util-crypto/sr25519/verify') as { sr25519Verify: (m: unknown, s: unknown, p: unknown) => boolean };
const signModule = require('@polkadot/util-crypto/sr25519/sign') as { sr25519Sign: (m: unknown, k: { publicKey?: Uint8Array | null; secretKey?: Uint8Array | null }) => Uint8Array };

const jsVerify = verifyModule.sr25519Verify;
const jsSign = signModule.sr25519Sign;
verifyModule.sr25519Verify = (m, s, p) => (wasm.isReady() ? wasm.sr25519Verify(u8aToU8a(s as Uint8Array), u8aToU8a(m as Uint8Array), u8aToU8a(p as Uint8Array)) : jsVerify(m, s, p));
signModule.sr25519Sign = (m, k) => (wasm.isReady() && k.publicKey && k.secretKey ? wasm.sr25519Sign(k.publicKey, k.secretKey, u8aToU8a(m as Uint8Array)) : jsSign(m, k));

export const PEERS_USE_WASM_SR25519 = true;
