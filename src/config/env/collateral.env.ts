import { EnvString, Satisfies, isUrlOrEmpty } from './parsers';

/** Empty, an http(s):// or ws(s):// URL, or host:port (plain ws, as collateral/evm/endpoint.ts reads it). */
function isEvmRpc(value: unknown): boolean {
  if (typeof value === 'string' && /^[A-Za-z0-9.-]+:\d{1,5}$/.test(value)) return true;
  return isUrlOrEmpty(value, ['http', 'https', 'ws', 'wss']);
}

export class CollateralEnv {
  /** Optional override of the EVM JSON-RPC URL derived from BITTENSOR_NETWORK (collateral and the map contract). */
  @EnvString() @Satisfies('evmRpc', isEvmRpc, 'expected an http(s):// or ws(s):// URL, host:port, or empty') BITTENSOR_EVM_RPC_URL: string = '';
}
