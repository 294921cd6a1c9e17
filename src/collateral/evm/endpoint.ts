/**
 * Where the EVM JSON-RPC lives (collateral.md §3): Subtensor nodes serve `eth_*` on their own
 * WebSocket port, so the endpoint is derived from BITTENSOR_NETWORK the way the bittensor library
 * does it, unless BITTENSOR_EVM_RPC_URL overrides it.
 */
const NETWORK_URLS: Readonly<Record<string, string>> = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  subvortex: 'ws://subvortex.info:9944',
  'latent-lite': 'wss://lite.sub.latent.to:443',
};

export interface EvmEndpointSettings {
  network: string;
  /** BT_SUBTENSOR_CHAIN_ENDPOINT, used for `local`. */
  localEndpoint: string;
  /** BITTENSOR_EVM_RPC_URL; empty means "derive from the network". */
  override: string;
}

export function resolveEvmRpcUrl(settings: EvmEndpointSettings): string {
  const override = settings.override.trim();
  if (override) return withScheme(override);
  const network = settings.network.trim();
  if (network === 'local') return withScheme(settings.localEndpoint.trim() || 'ws://127.0.0.1:9944');
  return NETWORK_URLS[network] ?? withScheme(network);
}

/** `172.17.0.1:9944` (the form the runner README suggests) means a plain WebSocket. */
function withScheme(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `ws://${url}`;
}

export function isWebSocketUrl(url: string): boolean {
  return /^wss?:\/\//i.test(url);
}

/**
 * The URL as it may appear in logs, errors and events: hosted RPC URLs often carry an API key in
 * the user-info, the path or the query, so only scheme, host and port are kept.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const hasSecretParts = u.username || u.password || (u.pathname && u.pathname !== '/') || u.search;
    return `${u.protocol}//${u.host}${hasSecretParts ? '/…' : ''}`;
  } catch {
    return '<unparseable url>';
  }
}
