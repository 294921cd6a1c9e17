import type { ValidatorCandidate } from './batch-slot';

/** What the synthetic calendar needs from the chain. Provided by the chain module's adapter. */
export abstract class SyntheticChainReader {
  /** The current head block number. */
  abstract currentBlock(): Promise<number>;
  /** The subnet's tempo (360 on mainnet; devnets use short ones). */
  abstract tempo(): Promise<number>;
  /** `0x` + 64 lowercase hex, as chain_getBlockHash returns it. */
  abstract blockHash(block: number): Promise<string>;
  /**
   * Inputs of `validator_hotkeys_at(block)` (scoring-synthetic-era.md §4.2): neurons in uid order,
   * the chain StakeThreshold (rao), max_validators, and the BAC neuron when registered at `block`.
   */
  abstract validatorCandidates(block: number): Promise<{ neurons: ValidatorCandidate[]; stakeThreshold: bigint; maxValidators: number; bac?: ValidatorCandidate }>;
}
