import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ValidatorHotkey } from '../../src/chain/validator-hotkey';
import { SystemClock } from '../../src/config/clock';
import { startSimulatedHorde, type SimulatedHorde } from '../../src/devnet/miners';
import { alice, connectionTo } from './validator-side';

/** A hotkey that claims Alice's address but signs with Bob's key: the signature cannot verify. */
class ImpostorHotkey extends ValidatorHotkey {
  readonly pair: KeyringPair;
  constructor() {
    super();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const realAlice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    this.pair = Object.assign(Object.create(Object.getPrototypeOf(realAlice)), realAlice, { sign: bob.sign.bind(bob) });
  }
}

class PastClock extends SystemClock {
  constructor(private readonly offsetMs: number) {
    super();
  }
  override now(): number {
    return Date.now() - this.offsetMs;
  }
}

describe('simulated miner refuses bad authentication with the reference errors; the validator records why', () => {
  let horde: SimulatedHorde;
  const aliceAddress = () => alice().address;
  beforeAll(async () => {
    await cryptoWaitReady();
    horde = await startSimulatedHorde({
      miners: [
        { executors: 1 },
        { executors: 1, knownValidators: ['5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'] },
        { executors: 1, knownValidators: [aliceAddress()], inactiveValidators: [aliceAddress()] },
      ],
    });
  });
  afterAll(() => horde.stop());

  async function refusal(conn: ReturnType<typeof connectionTo>) {
    expect(await conn.connect()).toEqual({ ok: true });
    const result = await conn.waitFor('V0ExecutorManifestRequest', { timeoutMs: 5000 });
    await conn.close();
    if (result.ok) throw new Error('miner accepted the connection');
    expect(result.failure.kind).toBe('miner-error');
    expect(conn.state).toBe('closed');
    // recorded among the connection's failures, with the miner's exact text
    expect(conn.failures.some((f) => f.kind === 'miner-error' && f.reason === result.failure.reason)).toBe(true);
    return result.failure.reason;
  }

  it('wrong signature: "Signature mismatches"', async () => {
    const conn = connectionTo(horde.miners[0], { validatorHotkey: new ImpostorHotkey() });
    expect(await refusal(conn)).toBe(`miner refused the connection: Validator ${aliceAddress()} not authenticated due to: Signature mismatches`);
    expect(horde.miners[0].miner.events.some((e) => e.kind === 'auth-refused' && e.detail.endsWith('Signature mismatches'))).toBe(true);
  });

  it('stale timestamp (older than 10 s): "msg too old"', async () => {
    const conn = connectionTo(horde.miners[0], { clock: new PastClock(11_000) });
    expect(await refusal(conn)).toBe(`miner refused the connection: Validator ${aliceAddress()} not authenticated due to: msg too old`);
  });

  it('a timestamp 9 s old is still accepted', async () => {
    const conn = connectionTo(horde.miners[0], { clock: new PastClock(9_000) });
    await conn.connect();
    const manifest = await conn.waitFor('V0ExecutorManifestRequest', { timeoutMs: 5000 });
    await conn.close();
    expect(manifest.ok).toBe(true);
  });

  it('wrong miner hotkey: "wrong miner hotkey (mine!=received)"', async () => {
    const other = horde.miners[1].hotkey;
    const conn = connectionTo({ ...horde.miners[0], hotkey: other });
    expect(await refusal(conn)).toBe(
      `miner refused the connection: Validator ${aliceAddress()} not authenticated due to: wrong miner hotkey (${horde.miners[0].hotkey}!=${other})`,
    );
  });

  it('unknown validator: "Unknown validator: key" before any message', async () => {
    expect(await refusal(connectionTo(horde.miners[1]))).toBe(`miner refused the connection: Unknown validator: ${aliceAddress()}`);
  });

  it('inactive validator: "Inactive validator: key"', async () => {
    expect(await refusal(connectionTo(horde.miners[2]))).toBe(`miner refused the connection: Inactive validator: ${aliceAddress()}`);
  });

  it('does not reconnect after a refusal; later sends fail with the same reason', async () => {
    const conn = connectionTo(horde.miners[0], { clock: new PastClock(60_000) });
    await conn.connect();
    const first = await conn.waitFor('V0ExecutorManifestRequest', { timeoutMs: 5000 });
    expect(conn.state).toBe('refused');
    const again = await conn.waitFor('V0AcceptJobRequest', { timeoutMs: 5000 });
    expect(!first.ok && !again.ok && again.failure.reason === first.failure.reason).toBe(true);
    await conn.close();
  });
});
