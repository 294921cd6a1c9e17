export interface ServingMiner {
  hotkey: string;
  address: string;
  port: number;
  ipVersion: number;
  executorCount: number;
}

/**
 * Where routing learns which miners serve an executor class and how many executors they have. The
 * implementation bound by the module (persistence/miner-manifest-table.source.ts) reads the newest
 * manifest-poll row per miner (`miner_manifest` with `batch_id IS NULL`: what the miner itself declared, written by the synthetic-jobs module's manifest poll) joined to the
 * `miner` table for the address. Per-batch rows count the executors the batch was allowed to test and
 * how many of those succeeded (often fewer than the miner has), so they are never read here.
 */
export abstract class ManifestSource {
  /** Miners in the metagraph with a serving axon and at least one executor of `executorClass`. */
  abstract servingMiners(executorClass: string): Promise<ServingMiner[]>;
  /** The executor count a miner declared for a class at `at` (newest poll at or before it); 0 if none. */
  abstract executorCountAt(minerHotkey: string, executorClass: string, at: Date): Promise<number>;
}
