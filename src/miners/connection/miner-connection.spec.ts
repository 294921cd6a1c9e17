import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { StaticValidatorHotkey, ValidatorHotkey } from '../../chain/validator-hotkey';
import type { KeyringPair } from '@polkadot/keyring/types';
import { Clock } from '../../config/clock';
import { MinerConnection } from './miner-connection';
import { connectRetryDelayMs, minerUrl } from './miner-url';
import { buildMessage, V0MainHotkeyMessage } from '../../protocol';

/** Records retry sleeps and returns at once; the (huge) handshake sleep only ends when aborted. */
class RecordingClock extends Clock {
  t = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms >= 1_000_000) {
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }
    this.sleeps.push(ms);
    this.t += ms;
    return new Promise((resolve) => setImmediate(resolve));
  }
}

beforeAll(() => cryptoWaitReady());

describe('TV-13 connect retry schedule', () => {
  it('TV-13 sleep after failure k is in [2^k, 2^k + 1) seconds', () => {
    for (let k = 1; k <= 5; k++) {
      expect(connectRetryDelayMs(k, 1000, 1000, () => 0)).toBe(2 ** k * 1000);
      expect(connectRetryDelayMs(k, 1000, 1000, () => 0.999)).toBeLessThan((2 ** k + 1) * 1000);
    }
  });

  it.each([
    [5, [2500, 4500, 8500, 16500, 32500]],
    [4, [2500, 4500, 8500, 16500]],
  ])('TV-13 max_retries %i: gives up after that many attempts, sleeping after each (also the last)', async (maxRetries, expected) => {
    const clock = new RecordingClock();
    const conn = new MinerConnection({
      minerHotkey: '5FtFfam1u3qQ76pvHhNqMdgb1Tzk7iFYGC7ituYqaSqAkD5s', address: '127.0.0.1', port: 1,
      validatorHotkey: new StaticValidatorHotkey(new Keyring({ type: 'sr25519' }).addFromUri('//Alice')),
      clock, maxRetries, random: () => 0.5, handshakeTimeoutMs: 5_000_000,
    });
    const result = await conn.connect();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure).toMatchObject({ kind: 'closed', reason: expect.stringContaining(`after ${maxRetries} attempts`) });
    expect(clock.sleeps).toEqual(expected);
    expect(expected.reduce((a, b) => a + b, 0)).toBe(maxRetries === 5 ? 62_000 + 2500 : 30_000 + 2000);
    expect(conn.state).toBe('closed');
  });
});

describe('minerUrl', () => {
  it('plain ws, validator hotkey in the path, IPv6 bracketed', () => {
    expect(minerUrl('1.2.3.4', 8091, '5Dyz')).toBe('ws://1.2.3.4:8091/v0.1/validator_interface/5Dyz');
    expect(minerUrl('2001:db8::1', 8091, '5Dyz')).toBe('ws://[2001:db8::1]:8091/v0.1/validator_interface/5Dyz');
    expect(minerUrl('miner.example', 80, '5Dyz')).toBe('ws://miner.example:80/v0.1/validator_interface/5Dyz');
  });
});

describe('an unavailable validator hotkey', () => {
  class MissingWallet extends ValidatorHotkey {
    get pair(): KeyringPair {
      throw new Error('wallet file not found');
    }
  }
  it('is a recorded connection failure, not an exception', async () => {
    const conn = new MinerConnection({ minerHotkey: 'm', address: '127.0.0.1', port: 1, validatorHotkey: new MissingWallet(), clock: new RecordingClock() });
    const r = await conn.connect();
    expect(!r.ok && r.failure).toMatchObject({ kind: 'closed', reason: 'validator hotkey unavailable: wallet file not found' });
    expect(conn.failures.map((f) => f.reason)).toEqual(['validator hotkey unavailable: wallet file not found']);
    expect((await conn.send(buildMessage(V0MainHotkeyMessage, { main_hotkey: null }))).ok).toBe(false);
  });
});
