import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { ValidatorHotkey } from '../chain/validator-hotkey';
import { h160KeyPath, loadH160Key, type H160KeyLookup } from './evm/h160-key';

/**
 * Who this validator is, for collateral: its hotkey (whose commitment names the contract) and
 * its H160 key file. The hotkey is looked up lazily so that the module starts (and routing keeps
 * working) in a process that has no wallet loaded.
 */
@Injectable()
export class CollateralValidatorIdentity {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
  ) {}

  async hotkeySs58(): Promise<string> {
    const hotkey = this.moduleRef.get(ValidatorHotkey, { strict: false });
    return hotkey.ss58;
  }

  h160KeyPath(): string {
    return h160KeyPath(this.location());
  }

  /** Read on every call: a key file added later is picked up without a restart. */
  loadH160Key(): Promise<H160KeyLookup> {
    return loadH160Key(this.location());
  }

  private location() {
    return {
      walletDirectory: this.config.chain.BITTENSOR_WALLET_DIRECTORY,
      walletName: this.config.chain.BITTENSOR_WALLET_NAME,
      hotkeyName: this.config.chain.BITTENSOR_WALLET_HOTKEY_NAME,
    };
  }
}
