import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { resolveEvmRpcUrl } from './endpoint';
import { EvmConnection } from './evm-connection';

/** Opens connections to the EVM JSON-RPC endpoint of collateral.md §3 (one per run/attempt). */
@Injectable()
export class EvmEndpoint {
  constructor(private readonly config: AppConfig) {}

  get url(): string {
    return resolveEvmRpcUrl({
      network: this.config.chain.BITTENSOR_NETWORK,
      localEndpoint: this.config.chain.BT_SUBTENSOR_CHAIN_ENDPOINT,
      override: this.config.collateral.BITTENSOR_EVM_RPC_URL,
    });
  }

  open(): Promise<EvmConnection> {
    return EvmConnection.open(this.url);
  }
}
