import type { KeyringPair } from '@polkadot/keyring/types';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { LocalRuntime } from './runtimes';

/** Types, defaults and small helpers of the local chain (src/devnet/chain/local-chain.ts). */

/** 1 TAO in rao. */
export const TAO = 1_000_000_000n;

/** Fast hyperparameters for tests and the demo; every field is applied with sudo. */
export interface LocalSubnetHyperparameters {
  tempo: number;
  weightsRateLimit: number;
  minAllowedWeights: number;
  weightsVersionKey: number;
  maxRegistrationsPerBlock: number;
  targetRegistrationsPerInterval: number;
  commitRevealEnabled: boolean;
  /** RevealPeriodEpochs (chain default 1). */
  revealPeriodEpochs: number;
}

export const FAST_HYPERPARAMETERS: LocalSubnetHyperparameters = {
  tempo: 10,
  weightsRateLimit: 0,
  minAllowedWeights: 1,
  weightsVersionKey: 0,
  maxRegistrationsPerBlock: 16,
  targetRegistrationsPerInterval: 16,
  commitRevealEnabled: false,
  revealPeriodEpochs: 1,
};

export interface LocalChainOptions {
  /** Subtensor runtime: 293 (drand, timelocked commits; default) or 218; default DEVNET_RUNTIME. */
  runtime?: LocalRuntime;
  /** Raw chain spec; default CHAIN_SPEC, ../shared/chain/raonet.json, or the pinned download (chain-spec-source.ts). */
  chainSpec?: string;
  /** Progress lines (e.g. that a chain spec is being downloaded). */
  log?: (line: string) => void;
  /** Listening port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Create a subnet owned by the validator (default true). */
  subnet?: boolean;
  /** Number of miners registered on the subnet (default 3). */
  miners?: number;
  /** Axon of each miner; default 127.0.0.2:8000+i (the runtime refuses 127.0.0.1). null = no axon. */
  minerAxons?: ({ host: string; port: number } | null)[];
  /** Stake the validator coldkey adds to the validator hotkey, in rao (default 100 TAO). */
  validatorStake?: bigint;
  hyperparameters?: Partial<LocalSubnetHyperparameters>;
  /** Blocks built after setup so that an epoch runs and permits are assigned (default tempo + 2). */
  settleBlocks?: number;
  /** Seeds of the hotkeys; default derived from fixed names (same keys every run). */
  validatorSeed?: Uint8Array;
  minerSeed?: (index: number) => Uint8Array;
  /**
   * Give every miner its own funded coldkey (seed `devnetSeed('miner-<i>-coldkey')`) instead of the
   * shared //Bob. Scoring groups hotkeys by coldkey (main-hotkey share), so a demo that compares
   * miners needs them apart.
   */
  ownMinerColdkeys?: boolean;
}

/** Coldkey of miner `index` when `ownMinerColdkeys` is set. */
export function minerColdkeySeed(index: number): Uint8Array {
  return devnetSeed(`miner-${index}-coldkey`);
}

export interface LocalMiner {
  index: number;
  uid: number;
  hotkey: KeyringPair;
  axon: { host: string; port: number } | null;
}

/** The fixed 32-byte seed of a devnet hotkey called `name` (e.g. "validator", "miner-0"). */
export function devnetSeed(name: string): Uint8Array {
  return blake2AsU8a(`compute-horde-devnet:${name}`, 256);
}

/** IPv4 dotted quad to the u128 the runtime stores. */
export function ipv4ToInt(host: string): bigint {
  const parts = host.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${host}`);
  return parts.reduce((acc, p) => acc * 256n + BigInt(p), 0n);
}
