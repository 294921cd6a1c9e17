import { redactUrl, resolveEvmRpcUrl } from './endpoint';

const base = { localEndpoint: '', override: '' };

describe('resolveEvmRpcUrl (collateral.md §3 table)', () => {
  it.each([
    ['finney', 'wss://entrypoint-finney.opentensor.ai:443'],
    ['test', 'wss://test.finney.opentensor.ai:443'],
    ['archive', 'wss://archive.chain.opentensor.ai:443'],
    ['local', 'ws://127.0.0.1:9944'],
    ['subvortex', 'ws://subvortex.info:9944'],
    ['latent-lite', 'wss://lite.sub.latent.to:443'],
    ['ws://172.17.0.1:9944', 'ws://172.17.0.1:9944'],
    ['172.17.0.1:9944', 'ws://172.17.0.1:9944'],
  ])('%s -> %s', (network, url) => {
    expect(resolveEvmRpcUrl({ ...base, network })).toBe(url);
  });

  it('local uses BT_SUBTENSOR_CHAIN_ENDPOINT when set', () => {
    expect(resolveEvmRpcUrl({ network: 'local', localEndpoint: 'ws://10.0.0.5:9944', override: '' })).toBe('ws://10.0.0.5:9944');
  });

  it('BITTENSOR_EVM_RPC_URL wins, HTTP allowed, scheme-less normalised', () => {
    expect(resolveEvmRpcUrl({ ...base, network: 'finney', override: 'https://lite.chain.opentensor.ai' })).toBe('https://lite.chain.opentensor.ai');
    expect(resolveEvmRpcUrl({ ...base, network: 'finney', override: '10.1.1.1:9944' })).toBe('ws://10.1.1.1:9944');
  });
});

describe('redactUrl', () => {
  it('keeps scheme, host and port only', () => {
    expect(redactUrl('https://user:pw@rpc.example.com/v2/SECRETKEY?apikey=abc')).toBe('https://rpc.example.com/…');
    expect(redactUrl('ws://127.0.0.1:9944')).toBe('ws://127.0.0.1:9944');
  });
});
