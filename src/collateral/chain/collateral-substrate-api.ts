import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { AppConfig } from '../../config/app-config';
import { resolveChainEndpoint } from '../../chain/client/network';

/**
 * The Substrate connection collateral reads through, opened on first use (a validator without
 * collateral never opens it from here) and closed with the module.
 */
@Injectable()
export class CollateralSubstrateApi implements OnModuleDestroy {
  private readonly logger = new Logger(CollateralSubstrateApi.name);
  private api: Promise<ApiPromise> | undefined;

  constructor(private readonly config: AppConfig) {}

  get(): Promise<ApiPromise> {
    if (!this.api) {
      const url = resolveChainEndpoint(this.config.chain.BITTENSOR_NETWORK, this.config.chain.BT_SUBTENSOR_CHAIN_ENDPOINT);
      const provider = new WsProvider(url, 2_500);
      this.api = ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }).catch(async (e: unknown) => {
        this.api = undefined;
        await provider.disconnect().catch(() => undefined);
        this.logger.warn(`could not connect to the chain for collateral: ${(e as Error).message}`);
        throw e;
      });
    }
    return this.api;
  }

  async onModuleDestroy(): Promise<void> {
    const api = this.api;
    this.api = undefined;
    if (api) await (await api.catch(() => undefined))?.disconnect();
  }
}
