import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import type { Clock } from '../../config/clock';
import type { ChainService } from '../chain.service';
import type { ValidatorHotkey } from '../validator-hotkey';
import { QUICKNET } from './timelock/drand';
import { TimelockedWeightsService } from './timelocked-weights.service';

/**
 * The refusals made before anything is sent, around a stand-in for the connected client (the
 * submissions themselves are tested on the real runtime 293, test/weights/weights-chain.int-spec.ts).
 */
function service(api: Partial<Record<'tx' | 'query' | 'call' | 'consts', unknown>> & { specVersion?: number }) {
  const client = {
    tx: api.tx ?? { subtensorModule: {} },
    query: api.query ?? { subtensorModule: {} },
    call: api.call ?? {},
    consts: api.consts ?? {},
    runtimeVersion: { specVersion: { toNumber: () => api.specVersion ?? 293 } },
  } as unknown as ApiPromise;
  const chain = {
    netuid: 12,
    endpoint: 'ws://subtensor.test:9944',
    api: async () => client,
    head: async () => ({ number: 1000, hash: '0x00' }),
    hyperparameters: async () => ({ tempo: 360, revealPeriodEpochs: 1 }),
  } as unknown as ChainService;
  const hotkey = { pair: { publicKey: new Uint8Array(32), address: '5Validator' } } as unknown as ValidatorHotkey;
  const clock = { now: () => 1_750_000_000_000, sleep: async () => undefined } as unknown as Clock;
  return new TimelockedWeightsService(chain, hotkey, clock);
}

const crv3 = { subtensorModule: { commitCrv3Weights: () => undefined } };
const weights = { uids: [1, 2], values: [65535, 1] };
const config = (publicKey: string) => ({ toJSON: () => ({ publicKey, period: 3, genesisTime: 1692803367 }) });

describe('TimelockedWeightsService refusals', () => {
  it('a runtime with neither timelocked call: precondition, pointing at hash commit-reveal', async () => {
    const out = await service({ specVersion: 218 }).commit(weights, 2n);
    expect(out).toMatchObject({ ok: false, kind: 'precondition', error: 'TimelockUnsupported' });
    expect(out.ok ? '' : out.message).toMatch(/spec 218\) has no drand timelocked commit .*DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED=true/);
  });

  it('an unreachable Drand.BeaconConfig: an RPC failure naming the endpoint (the submit loop retries it)', async () => {
    const query = { subtensorModule: {}, drand: { beaconConfig: () => Promise.reject(new Error('No response received from RPC endpoint in 30s')) } };
    const out = await service({ tx: crv3, query }).commit(weights, 2n);
    expect(out).toEqual({
      ok: false,
      kind: 'rpc',
      error: 'DrandBeaconConfig',
      message: 'could not read Drand.BeaconConfig from ws://subtensor.test:9944: No response received from RPC endpoint in 30s',
    });
  });

  it('a BeaconConfig whose key is not a G2 point: precondition, never a silent fallback to quicknet', async () => {
    const query = { subtensorModule: {}, drand: { beaconConfig: async () => config(u8aToHex(new Uint8Array(48))) } };
    const out = await service({ tx: crv3, query }).commit(weights, 2n);
    expect(out).toMatchObject({ ok: false, kind: 'precondition', error: 'DrandBeaconConfig' });
    expect(out.ok ? '' : out.message).toMatch(/96-byte G2 point, got 48 bytes/);
  });

  it('reads the chain beacon, or quicknet when the runtime has no drand pallet', async () => {
    const query = { subtensorModule: {}, drand: { beaconConfig: async () => config(u8aToHex(QUICKNET.publicKey)) } };
    expect(await service({ tx: crv3, query }).beacon()).toMatchObject({ source: 'chain', genesisTime: 1692803367, period: 3 });
    expect(await service({ tx: crv3 }).beacon()).toMatchObject({ source: 'quicknet', genesisTime: QUICKNET.genesisTime });
  });

  it('support follows the metadata; the commit-reveal version comes from storage', async () => {
    const crv4 = { subtensorModule: { commitTimelockedWeights: () => undefined, commitCrv3Weights: () => undefined } };
    const query = { subtensorModule: { commitRevealWeightsVersion: async () => ({ toString: () => '4' }) } };
    expect(await service({ tx: crv4, query }).support()).toEqual({ scheme: 'crv4', commitRevealVersion: 4 });
    expect(await service({ tx: crv3 }).support()).toEqual({ scheme: 'crv3' });
    expect(await service({ specVersion: 218 }).support()).toEqual({ scheme: 'none', specVersion: 218 });
  });
});
