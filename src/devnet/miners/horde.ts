import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DEFAULT_EXECUTOR_CLASS, type ExecutorClass } from '../../protocol';
import type { SimulatedExecutorConfig } from './behaviour';
import { SimulatedMiner, type SimulatedMinerOptions } from './simulated-miner';

/** One miner of a simulated horde. Everything is optional. */
export interface SimulatedMinerSpec extends Partial<Omit<SimulatedMinerOptions, 'hotkey' | 'executors'>> {
  /** A pair, or a secret URI / mnemonic; default the dev URI `//SimMiner{index}`. */
  hotkey?: KeyringPair | string;
  /** Explicit executors, or a count of executors of `executorClass`. Default 1. */
  executors?: SimulatedExecutorConfig[] | number;
  /** Class of counted executors; default spin_up-4min.gpu-24gb. */
  executorClass?: ExecutorClass;
}

export interface SimulatedHordeOptions {
  miners: SimulatedMinerSpec[];
  /** Defaults applied to every miner (a miner's own settings win). */
  defaults?: Partial<Omit<SimulatedMinerSpec, 'hotkey' | 'port'>>;
  /** First port; miner i listens on basePort + i. Default: free ports. */
  basePort?: number;
}

export interface SimulatedHordeMiner {
  hotkey: string;
  host: string;
  port: number;
  manifest: Partial<Record<ExecutorClass, number>>;
  miner: SimulatedMiner;
}

export interface SimulatedHorde {
  miners: SimulatedHordeMiner[];
  stop(): Promise<void>;
}

/** Dev key pair of simulated miner `index` (deterministic, so hotkeys are stable across runs). */
export function simulatedMinerPair(index: number): KeyringPair {
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`//SimMiner${index}`);
}

export async function startSimulatedHorde(options: SimulatedHordeOptions): Promise<SimulatedHorde> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const started: SimulatedHordeMiner[] = [];
  try {
    for (const [i, spec0] of options.miners.entries()) {
      const spec = { ...options.defaults, ...spec0 };
      const hotkey = typeof spec.hotkey === 'string' ? keyring.addFromUri(spec.hotkey) : spec.hotkey ?? simulatedMinerPair(i);
      const executorClass = spec.executorClass ?? DEFAULT_EXECUTOR_CLASS;
      const executors = Array.isArray(spec.executors)
        ? spec.executors
        : Array.from({ length: spec.executors ?? 1 }, () => ({ executorClass }));
      const miner = await SimulatedMiner.start({
        ...spec,
        hotkey,
        executors,
        port: spec.port ?? (options.basePort !== undefined ? options.basePort + i : 0),
      });
      started.push({ hotkey: miner.hotkey, host: miner.host, port: miner.port, manifest: miner.manifest, miner });
    }
  } catch (e) {
    await Promise.all(started.map((m) => m.miner.stop()));
    throw e;
  }
  return {
    miners: started,
    stop: async () => {
      await Promise.all(started.map((m) => m.miner.stop()));
    },
  };
}
