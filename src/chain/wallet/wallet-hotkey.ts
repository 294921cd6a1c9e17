import { Logger, Provider } from '@nestjs/common';
import type { KeyringPair } from '@polkadot/keyring/types';
import { AppConfig } from '../../config/app-config';
import { HealthService } from '../../observability/health.service';
import { PROCESS_ROLE, type ProcessRole } from '../../common/process-role';
import { ValidatorHotkey } from '../validator-hotkey';
import { hotkeyFilePath, loadHotkeyFile, WalletError } from './btcli-wallet';

/**
 * The validator hotkey from the Bittensor wallet, or, when the wallet cannot be loaded, a hotkey
 * whose every use throws the one clear WalletError (the daemon keeps running and reports it).
 */
export class WalletValidatorHotkey extends ValidatorHotkey {
  private constructor(
    private readonly loaded: KeyringPair | undefined,
    readonly error: WalletError | undefined,
    readonly path: string,
  ) {
    super();
  }

  static ok(pair: KeyringPair, path: string): WalletValidatorHotkey {
    return new WalletValidatorHotkey(pair, undefined, path);
  }

  static failed(error: WalletError): WalletValidatorHotkey {
    return new WalletValidatorHotkey(undefined, error, error.path);
  }

  get pair(): KeyringPair {
    if (!this.loaded) throw this.error ?? new WalletError(this.path, 'not loaded');
    return this.loaded;
  }

  get available(): boolean {
    return this.loaded !== undefined;
  }
}

/** Loads the hotkey once at start; never throws (see WalletValidatorHotkey). `quiet`: a failure is logged at debug level only (the CLI: the command that signs reports it). */
export async function loadValidatorHotkey(config: AppConfig, logger = new Logger('Wallet'), quiet = false): Promise<WalletValidatorHotkey> {
  const { BITTENSOR_WALLET_DIRECTORY: dir, BITTENSOR_WALLET_NAME: wallet, BITTENSOR_WALLET_HOTKEY_NAME: hotkey } = config.chain;
  const path = hotkeyFilePath(dir, wallet, hotkey);
  try {
    const pair = await loadHotkeyFile(path);
    logger.log(`validator hotkey ${pair.address} loaded from ${path}`);
    return WalletValidatorHotkey.ok(pair, path);
  } catch (e) {
    const error = e instanceof WalletError ? e : new WalletError(path, e instanceof Error ? e.message : 'cannot load');
    (quiet ? logger.debug.bind(logger) : logger.error.bind(logger))(`${error.message} (BITTENSOR_WALLET_DIRECTORY / BITTENSOR_WALLET_NAME / BITTENSOR_WALLET_HOTKEY_NAME); nothing can be signed until it is fixed and the validator restarted`);
    return WalletValidatorHotkey.failed(error);
  }
}

/** Provides ValidatorHotkey from the wallet and registers the critical "wallet" health check (nothing can be signed without it). */
export const VALIDATOR_HOTKEY_PROVIDER: Provider = {
  provide: ValidatorHotkey,
  inject: [AppConfig, HealthService, { token: PROCESS_ROLE, optional: true }],
  useFactory: async (config: AppConfig, health: HealthService, role: ProcessRole | undefined) => {
    const hotkey = await loadValidatorHotkey(config, undefined, role === 'cli');
    health.register({
      name: 'wallet',
      critical: true,
      check: async () =>
        hotkey.available
          ? { ok: true, detail: `hotkey ${hotkey.pair.address}` }
          : { ok: false, detail: `${hotkey.error?.message ?? 'not loaded'} (BITTENSOR_WALLET_DIRECTORY / BITTENSOR_WALLET_NAME / BITTENSOR_WALLET_HOTKEY_NAME; restart after fixing)` },
    });
    return hotkey;
  },
};
