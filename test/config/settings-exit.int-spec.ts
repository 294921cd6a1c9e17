import { runEntry, type Ran } from '../support/processes';

jest.setTimeout(180_000);

/**
 * Issue 15: a bad setting used to start a daemon that silently did nothing (DEBUG_SET_SCORES_SECOND
 * =bogus never set weights, DYNAMIC_EXECUTOR_CLASS_WEIGHTS=zzz was accepted, ...). Each one now
 * stops the start: exit code 1 and one line naming it, before the application is loaded.
 */
const BAD_SETTINGS: [string, string, string][] = [
  ['DEBUG_SET_SCORES_SECOND', 'bogus', 'DEBUG_SET_SCORES_SECOND: expected a crontab second field such as 0 or */3'],
  ['DEBUG_SET_SCORES_MINUTE', '61', 'DEBUG_SET_SCORES_MINUTE: expected a crontab minute field such as */1, 0-59/5 or 7'],
  ['DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'zzz', 'DYNAMIC_EXECUTOR_CLASS_WEIGHTS: expected class=number,... but found "zzz"'],
  ['DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'spin_up-4min.gpu-24gb=inf', 'DYNAMIC_EXECUTOR_CLASS_WEIGHTS: in "spin_up-4min.gpu-24gb=inf": expected a finite number'],
  ['DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', 'abc', 'DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL: expected an integer >= 1'],
  ['DYNAMIC_BURN_RATE', '1.5', 'DYNAMIC_BURN_RATE: 1.5 is out of range >= 0 and <= 1'],
  ['DEBUG_SYNTHETIC_TIMINGS', 'fast', 'DEBUG_SYNTHETIC_TIMINGS: expected empty, reference or devnet'],
  ['DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY', 'hard', 'DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: expected empty, production, devnet or minimal'],
  ['DEBUG_OVERRIDE_WEIGHTS_VERSION', 'four', 'DEBUG_OVERRIDE_WEIGHTS_VERSION: expected an integer weights version >= 0 (or empty)'],
  ['BITTENSOR_NETWORK', 'mainnet', 'BITTENSOR_NETWORK: expected finney, test, archive, local, subvortex, latent-lite, a ws(s):// URL or host:port'],
  ['USE_CONTRACT_CONFIG', 'sure', 'USE_CONTRACT_CONFIG: expected true or false (true, on, ok, y, yes, 1 / false, off, no, n, 0)'],
];

describe('the daemon refuses each bad setting: exit 1, one line naming it', () => {
  const results = new Map<string, Ran>();

  beforeAll(async () => {
    // Three at a time: each is a short-lived process (the config is checked before the app loads).
    const queue = [...BAD_SETTINGS];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const [name, value] = item;
        results.set(`${name}=${value}`, await runEntry('src/main.ts', [], { [name]: value }, { timeoutMs: 60_000, offlineDynamicConfig: false }));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  });

  test.each(BAD_SETTINGS)('%s=%s', (name, value, line) => {
    const res = results.get(`${name}=${value}`);
    expect(res?.code).toBe(1);
    expect(res?.stderr).toBe(`Invalid configuration:\n  ${line}\n`);
    expect(res?.stdout).toBe('');
  });
});
