import { isChainNetwork, resolveChainEndpoint } from './network';

describe('resolveChainEndpoint', () => {
  it('maps the named networks', () => {
    expect(resolveChainEndpoint('finney')).toBe('wss://entrypoint-finney.opentensor.ai:443');
    expect(resolveChainEndpoint('test')).toBe('wss://test.finney.opentensor.ai:443');
    expect(resolveChainEndpoint('archive')).toBe('wss://archive.chain.opentensor.ai:443');
  });
  it('uses BT_SUBTENSOR_CHAIN_ENDPOINT for local, else 127.0.0.1:9944', () => {
    expect(resolveChainEndpoint('local')).toBe('ws://127.0.0.1:9944');
    expect(resolveChainEndpoint('local', 'ws://10.1.1.1:9944')).toBe('ws://10.1.1.1:9944');
  });
  it('uses a URL verbatim', () => {
    expect(resolveChainEndpoint('ws://10.0.0.5:9944')).toBe('ws://10.0.0.5:9944');
    expect(resolveChainEndpoint('wss://example.org/ws')).toBe('wss://example.org/ws');
  });
  it('takes host:port as a plain WebSocket, as the Python runner README suggests (172.17.0.1:9944)', () => {
    expect(resolveChainEndpoint('172.17.0.1:9944')).toBe('ws://172.17.0.1:9944');
    expect(resolveChainEndpoint('subtensor.internal:9944')).toBe('ws://subtensor.internal:9944');
    expect(resolveChainEndpoint('[::1]:9944')).toBe('ws://[::1]:9944');
    expect(resolveChainEndpoint('local', '10.1.1.1:9944')).toBe('ws://10.1.1.1:9944');
  });
  it('refuses anything else with the accepted values', () => {
    expect(() => resolveChainEndpoint('mainnet')).toThrow(/BITTENSOR_NETWORK=mainnet: expected finney, test/);
    expect(() => resolveChainEndpoint('http://10.0.0.5:9944')).toThrow(/BITTENSOR_NETWORK/);
    expect(() => resolveChainEndpoint('10.0.0.5:99999')).toThrow(/BITTENSOR_NETWORK/);
    expect(() => resolveChainEndpoint('local', 'nonsense')).toThrow(/BT_SUBTENSOR_CHAIN_ENDPOINT=nonsense/);
    for (const bad of ['mainnet', '', '10.0.0.5', 'ws://', 'http://x:1']) expect(isChainNetwork(bad)).toBe(false);
  });
});
