import { resolveChainEndpoint } from './network';

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
  it('refuses anything else with the accepted values', () => {
    expect(() => resolveChainEndpoint('mainnet')).toThrow(/BITTENSOR_NETWORK=mainnet: expected finney, test/);
  });
});
