/** Named networks of BITTENSOR_NETWORK (the bittensor library's table). */
export const NAMED_NETWORKS: Readonly<Record<string, string>> = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
  subvortex: 'ws://subvortex.info:9944',
  'latent-lite': 'wss://lite.sub.latent.to:443',
};

/**
 * The websocket URL for BITTENSOR_NETWORK: a named network, `local` (BT_SUBTENSOR_CHAIN_ENDPOINT
 * when set), or a ws:// / wss:// URL used verbatim. Throws on anything else.
 */
export function resolveChainEndpoint(network: string, localEndpoint = ''): string {
  const value = network.trim();
  if (/^wss?:\/\//i.test(value)) return value;
  if (value === 'local' && localEndpoint.trim()) return localEndpoint.trim();
  const named = NAMED_NETWORKS[value];
  if (named) return named;
  throw new Error(`BITTENSOR_NETWORK=${value}: expected ${Object.keys(NAMED_NETWORKS).join(', ')} or a ws:// / wss:// URL`);
}
