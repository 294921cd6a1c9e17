import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { SystemClock } from '../../src/config/clock';
import { StaticValidatorHotkey } from '../../src/chain/validator-hotkey';
import { SimulatedMiner } from '../../src/devnet/miners/simulated-miner';
import { MinerMainHotkeyQuerier } from '../../src/weights/scoring-inputs/main-hotkey-querier';

jest.setTimeout(60_000);

/** The main-hotkey question over the real miner protocol, against devnet simulated miners. */
describe('main-hotkey query (chain-scoring-weights.md §4.3)', () => {
  const miners: SimulatedMiner[] = [];
  let querier: MinerMainHotkeyQuerier;
  let keyring: Keyring;

  beforeAll(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const validator = keyring.addFromUri('//weights-validator');
    querier = new MinerMainHotkeyQuerier(new StaticValidatorHotkey(validator), new SystemClock());
    const spec = [
      { uri: '//m-answers', mainHotkey: 'hk-main' as string | null | undefined },
      { uri: '//m-null', mainHotkey: null },
      { uri: '//m-refuses', mainHotkey: 'never', knownValidators: ['5Nobody'] },
    ];
    for (const s of spec) {
      miners.push(
        await SimulatedMiner.start({
          hotkey: keyring.addFromUri(s.uri),
          executors: [{ executorClass: 'spin_up-4min.gpu-24gb' }],
          mainHotkey: s.mainHotkey,
          knownValidators: 'knownValidators' in s ? s.knownValidators : undefined,
        }),
      );
    }
  });

  afterAll(async () => {
    for (const m of miners) await m.stop();
  });

  test('answer, null answer, refused validator (GenericError) and an unreachable miner', async () => {
    const targets = miners.map((m, i) => ({ hotkey: keyring.addFromUri(['//m-answers', '//m-null', '//m-refuses'][i]).address, coldkey: 'ck', address: '127.0.0.1', port: m.port }));
    targets.push({ hotkey: 'unreachable', coldkey: 'ck', address: '127.0.0.1', port: 1 });
    const answers = await querier.query(targets);
    expect(answers.get(targets[0].hotkey)).toBe('hk-main');
    expect(answers.get(targets[1].hotkey)).toBeNull();
    expect(answers.get(targets[2].hotkey)).toBeNull();
    expect(answers.get('unreachable')).toBeInstanceOf(Error);
  });

  test('a miner without an axon is not contacted', async () => {
    const answers = await querier.query([{ hotkey: 'no-axon', coldkey: 'ck', address: '0.0.0.0', port: 0 }]);
    expect(answers.get('no-axon')).toBeInstanceOf(Error);
  });
});
