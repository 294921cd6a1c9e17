import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveChainSpec } from './chain-spec-source';

/**
 * The subtensor runtimes the devnet can run (../shared/chain/README.md):
 * 218 (raonet.json, January 2025: hash commit-reveal only) and 293 (aura-dev.json, July 2025: the
 * drand pallet and timelocked `commit_crv3_weights`). 293 is the default.
 */
export type LocalRuntime = 218 | 293;
export const LOCAL_RUNTIMES: readonly LocalRuntime[] = [218, 293];
export const DEFAULT_LOCAL_RUNTIME: LocalRuntime = 293;

/** `DEVNET_RUNTIME` (218 or 293), else the default. */
export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): LocalRuntime {
  const raw = env.DEVNET_RUNTIME?.trim();
  if (!raw) return DEFAULT_LOCAL_RUNTIME;
  return parseLocalRuntime(raw, 'DEVNET_RUNTIME');
}

export function parseLocalRuntime(raw: string, source: string): LocalRuntime {
  const n = Number(raw);
  if (n === 218 || n === 293) return n;
  throw new Error(`${source} must be 218 or 293, got ${JSON.stringify(raw)}`);
}

/** The runtime's Aura slot (`AuraApi.slot_duration`): chopsticks advances the chain clock by it per block. */
export function slotDurationMs(runtime: LocalRuntime): number {
  return runtime === 293 ? 1000 : 3000;
}

/**
 * What chopsticks needs for a runtime. 293: the raw raonet genesis with the code of aura-dev.json as
 * a wasm override, and unresolved imports allowed (the runtime imports BLS12-381 host functions that
 * chopsticks lacks; only the drand pallet's own pulse verification calls them). The chain specs come
 * from `resolveChainSpec` (CHAIN_SPEC, ../shared/chain, the cache, or the pinned download).
 */
export async function chopsticksRuntimeOptions(runtime: LocalRuntime, o: { genesis?: string; log?: (line: string) => void } = {}): Promise<Record<string, unknown>> {
  const base = { genesis: o.genesis ?? (await resolveChainSpec('raonet.json', { log: o.log })) };
  if (runtime === 218) return base;
  return { ...base, 'wasm-override': runtime293Wasm(await resolveChainSpec('aura-dev.json', { log: o.log })), 'allow-unresolved-imports': true };
}

/** The spec-293 runtime as a .wasm file in the temp folder, written once per content (never committed). */
function runtime293Wasm(spec: string): string {
  const json = JSON.parse(readFileSync(spec, 'utf8')) as { genesis?: { runtimeGenesis?: { code?: string } } };
  const code = json.genesis?.runtimeGenesis?.code;
  if (typeof code !== 'string' || !code.startsWith('0x')) throw new Error(`${spec} has no genesis.runtimeGenesis.code`);
  const bytes = Buffer.from(code.slice(2), 'hex');
  const path = join(tmpdir(), `chv-subtensor-runtime-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.wasm`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  }
  return path;
}
