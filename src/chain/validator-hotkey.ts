import type { KeyringPair } from '@polkadot/keyring/types';

/**
 * The validator's own sr25519 hotkey. The chain module provides it from the Bittensor wallet
 * (BITTENSOR_WALLET_DIRECTORY / NAME / HOTKEY_NAME); tests and the devnet provide a dev key.
 * Everything that signs (miner auth, facilitator auth, receipts, extrinsics) injects this.
 */
export abstract class ValidatorHotkey {
  abstract readonly pair: KeyringPair;
  get ss58(): string {
    return this.pair.address;
  }
}

/** A ValidatorHotkey over a pair that is already loaded. */
export class StaticValidatorHotkey extends ValidatorHotkey {
  constructor(readonly pair: KeyringPair) {
    super();
  }
}
