/** Named networks of BITTENSOR_NETWORK (the bittensor library's table). */
export const NAMED_NETWORKS: Readonly<Record<string, string>> = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
  subvortex: 'ws://subvortex.info:9944',
  'latent-lite': 'wss://lite.sub.latent.to:443',
};

/** `172.17.0.1:9944`, `node.example:9944`, `[::1]:9944`: what the Python runner's README suggests. */
const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/**
 * A ws:// / wss:// URL used verbatim, or `host:port` as a plain WebSocket: the bittensor library
 * passes an unknown network through as the endpoint, and the reference's runner documents
 * `BITTENSOR_NETWORK=172.17.0.1:9944`. Undefined for anything else.
 */
function endpointFromAddress(value: string): string | undefined {
  if (/^wss?:\/\/[^/\s]+/i.test(value)) return value;
  if (HOST_PORT.test(value)) {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    if (port >= 1 && port <= 65535) return `ws://${value}`;
  }
  return undefined;
}

/**
 * The websocket URL for BITTENSOR_NETWORK: a named network, `local` (BT_SUBTENSOR_CHAIN_ENDPOINT
 * when set), a ws:// / wss:// URL used verbatim, or `host:port`. Throws on anything else.
 */
export function resolveChainEndpoint(network: string, localEndpoint = ''): string {
  const value = network.trim();
  const local = localEndpoint.trim();
  if (value === 'local' && local) {
    const endpoint = endpointFromAddress(local);
    if (endpoint) return endpoint;
    throw new Error(`BT_SUBTENSOR_CHAIN_ENDPOINT=${local}: expected a ws:// / wss:// URL or host:port`);
  }
  const named = NAMED_NETWORKS[value];
  if (named) return named;
  const endpoint = endpointFromAddress(value);
  if (endpoint) return endpoint;
  throw new Error(`BITTENSOR_NETWORK=${value}: expected ${Object.keys(NAMED_NETWORKS).join(', ')}, a ws:// / wss:// URL or host:port`);
}

/** For the config check at start: a value resolveChainEndpoint accepts. */
export function isChainNetwork(value: unknown): boolean {
  return typeof value === 'string' && (NAMED_NETWORKS[value.trim()] !== undefined || endpointFromAddress(value.trim()) !== undefined);
}

export function isChainEndpointOrEmpty(value: unknown): boolean {
  return value === '' || (typeof value === 'string' && endpointFromAddress(value.trim()) !== undefined);
}
