import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { AppConfig, CONFIG_VARIABLES, ConfigError, loadEnvironment, readEnvironment } from './app-config';
import { isDynamicConfigKey } from './dynamic/dynamic-config.parse';
import { DEPLOYMENT_VARIABLES } from './env/no-effect-variables';
import { resolveChainEndpoint } from '../chain/client/network';

function problemsOf(env: Record<string, string>): string[] {
  try {
    AppConfig.fromEnv(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('AppConfig', () => {
  it('starts with reference defaults on an empty environment', () => {
    const c = AppConfig.fromEnv({});
    expect(c.core.HTTP_PORT).toBe(8000);
    expect(c.core.DATABASE_URL).toBeUndefined();
    expect(c.chain.BITTENSOR_NETUID).toBe(12);
    expect(c.chain.BITTENSOR_NETWORK).toBe('finney');
    expect(c.facilitator.FACILITATOR_URI).toBe('wss://facilitator.computehorde.io/ws/v0/');
    expect(c.jobs.DEBUG_MINER_COUNT).toBe(1);
  });

  it('parses booleans the django-environ way (vector 9.3), refusing a word that is neither', () => {
    expect(AppConfig.fromEnv({ MIGRATING: 'on' }).core.MIGRATING).toBe(true);
    expect(AppConfig.fromEnv({ MIGRATING: '0' }).core.MIGRATING).toBe(false);
    expect(AppConfig.fromEnv({ MIGRATING: 'YES' }).core.MIGRATING).toBe(true);
    expect(AppConfig.fromEnv({ MIGRATING: 'False' }).core.MIGRATING).toBe(false);
    expect(problemsOf({ MIGRATING: 'maybe' })).toEqual(['MIGRATING: expected true or false (true, on, ok, y, yes, 1 / false, off, no, n, 0)']);
  });

  it('parses lists (vector 9.3)', () => {
    const c = AppConfig.fromEnv({ DEBUG_FETCH_RECEIPTS_FROM_MINERS: '5Abc:10.0.0.1:8000,5Def:10.0.0.2:8001' });
    expect(c.facilitator.DEBUG_FETCH_RECEIPTS_FROM_MINERS).toEqual(['5Abc:10.0.0.1:8000', '5Def:10.0.0.2:8001']);
  });

  it('reports one line per malformed variable, naming it and what was expected', () => {
    const problems = problemsOf({ HTTP_PORT: 'abc', BITTENSOR_NETUID: '12x', DATABASE_URL: 'mysql://x' });
    expect(problems).toEqual([
      'HTTP_PORT: expected an integer port 1-65535',
      'DATABASE_URL: expected postgres://user:password@host:port/database',
      'BITTENSOR_NETUID: expected an integer subnet id 0-65535',
    ]);
  });

  it('never echoes the value of a secret in an error', () => {
    const secret = 'mysql://user:hunter2@host/db';
    const problems = problemsOf({ DATABASE_URL: secret });
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('reads .env when ENV is unset, the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, '.env'), 'HTTP_PORT=9001\nBITTENSOR_NETUID=49\n');
    const env = loadEnvironment({ BITTENSOR_NETUID: '12' }, dir);
    const c = AppConfig.fromEnv(env);
    expect(c.core.HTTP_PORT).toBe(9001);
    expect(c.chain.BITTENSOR_NETUID).toBe(12);
    expect(loadEnvironment({ ENV: 'test' }, dir).HTTP_PORT).toBeUndefined();
  });

  it('takes host:port networks as the Python runner documents them', () => {
    const c = AppConfig.fromEnv({ BITTENSOR_NETWORK: '172.17.0.1:9944' });
    expect(resolveChainEndpoint(c.chain.BITTENSOR_NETWORK, c.chain.BT_SUBTENSOR_CHAIN_ENDPOINT)).toBe('ws://172.17.0.1:9944');
    expect(problemsOf({ BITTENSOR_NETWORK: 'mainnet' })).toEqual(['BITTENSOR_NETWORK: expected finney, test, archive, local, subvortex, latent-lite, a ws(s):// URL or host:port']);
  });
});

describe('database URL (configuration.md §9.3)', () => {
  const url = (env: Record<string, string>) => AppConfig.fromEnv(env).database;
  it('POSTGRES_PASSWORD alone gives the reference default DSN', () => {
    expect(url({ POSTGRES_PASSWORD: 'secret' })).toEqual({ url: 'postgres://postgres:secret@db:5432/postgres', source: 'POSTGRES_PASSWORD', pooled: false });
    expect(url({ POSTGRES_PASSWORD: 'secret', DATABASE_SUFFIX: '_test' }).url).toBe('postgres://postgres:secret@db:5432/postgres_test');
    expect(url({ POSTGRES_PASSWORD: 'p@ss/word' }).url).toBe('postgres://postgres:p%40ss%2Fword@db:5432/postgres');
  });
  it('DATABASE_POOL_URL wins over DATABASE_URL, which wins over POSTGRES_PASSWORD; the name can be replaced', () => {
    expect(url({ POSTGRES_PASSWORD: 'x', DATABASE_URL: 'postgres://u:p@h:5432/app' })).toEqual({ url: 'postgres://u:p@h:5432/app', source: 'DATABASE_URL', pooled: false });
    expect(url({ DATABASE_URL: 'postgres://u:p@h:5432/app', DATABASE_POOL_URL: 'postgres://u:p@bouncer:6432/app' })).toEqual({ url: 'postgres://u:p@bouncer:6432/app', source: 'DATABASE_POOL_URL', pooled: true });
    expect(url({ DATABASE_URL: 'postgres://u:p@h:5432/app', DATABASE_SUFFIX: '_2', DEBUG_OVERRIDE_DATABASE_NAME: 'other' }).url).toBe('postgres://u:p@h:5432/other');
  });
  it('none of them: the embedded database', () => {
    expect(url({})).toEqual({ source: 'embedded', pooled: false });
  });
});

describe("a Python validator's .env", () => {
  function load(extra = ''): AppConfig {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-py-'));
    copyFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'python-runner.env'), join(dir, '.env'));
    if (extra) writeFileSync(join(dir, '.env'), extra, { flag: 'a' });
    const { env, dotenvKeys } = readEnvironment({}, dir);
    return AppConfig.fromEnv(env, { dotenvKeys });
  }

  it('is honoured where the reference honours it, with one warning line per variable without effect', () => {
    const c = load();
    expect(resolveChainEndpoint(c.chain.BITTENSOR_NETWORK, c.chain.BT_SUBTENSOR_CHAIN_ENDPOINT)).toBe('ws://172.17.0.1:9944');
    expect(c.database).toEqual({ url: 'postgres://postgres:pS5xq2Lm0Zr8TkQ@db:5432/postgres', source: 'POSTGRES_PASSWORD', pooled: false });
    expect(c.core.VALIDATOR_VERSION).toBe('v0-from-python-env');
    expect(c.core.HTTP_PORT).toBe(8080);
    expect(c.chain.BITTENSOR_WALLET_NAME).toBe('validator');
    expect(c.jobs.TRUSTED_MINER_ADDRESS).toBe('10.0.0.7');
    expect(c.warnings).toEqual([
      'DEBUG_DONT_STAGGER_VALIDATORS (from .env) has no effect here: not ported (scoring-synthetic-era.md §4.5); use `validator-cli debug-run-synthetic-jobs`',
      'SECRET_KEY (from .env) has no effect here: no admin sessions or CSRF tokens here',
      'SENTRY_DSN (from .env) has no effect here: Sentry is not integrated; logs are JSON lines on stdout',
      'DATABASE_URL is unset and POSTGRES_PASSWORD is set: connecting to postgres://postgres:***@db:5432/postgres as the Python validator does; ' +
        'set DATABASE_URL for another server, or remove POSTGRES_PASSWORD to use the embedded database under DATA_DIR',
    ]);
    expect(c.warnings.join('\n')).not.toContain('pS5xq2Lm0Zr8TkQ');
  });

  it('names an unknown variable of .env, and takes DATABASE_URL over the password default', () => {
    const c = load('DATABASE_URL=postgres://postgres:pw@127.0.0.1:5432/validator\nBITTENSOR_NETWROK=finney\nDYNAMIC_SYNC_ORGANIC_JOBS=true\n');
    expect(c.database.source).toBe('DATABASE_URL');
    expect(c.warnings).toContain('BITTENSOR_NETWROK (from .env) has no effect here: not a setting of this validator (see .env.example)');
    expect(c.warnings).toContain('DYNAMIC_SYNC_ORGANIC_JOBS (from .env) has no effect here: not a dynamic config key (`validator-cli config list` shows them)');
    expect(c.warnings.some((w) => w.startsWith('DATABASE_URL is unset'))).toBe(false);
  });
});

describe('every setting is checked at start: one line naming each bad one (issue 15)', () => {
  test.each([
    ['DEBUG_SET_SCORES_SECOND', 'bogus', 'DEBUG_SET_SCORES_SECOND: expected a crontab second field such as 0 or */3'],
    ['DEBUG_SET_SCORES_MINUTE', '*/x', 'DEBUG_SET_SCORES_MINUTE: expected a crontab minute field such as */1, 0-59/5 or 7'],
    ['DEBUG_SET_SCORES_HOUR', '25', 'DEBUG_SET_SCORES_HOUR: expected a crontab hour field such as *, */2 or 3'],
    ['DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'zzz', 'DYNAMIC_EXECUTOR_CLASS_WEIGHTS: expected class=number,... but found "zzz"'],
    ['DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'spin_up-4min.gpu-24gb=inf', 'DYNAMIC_EXECUTOR_CLASS_WEIGHTS: in "spin_up-4min.gpu-24gb=inf": expected a finite number'],
    ['DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', 'abc', 'DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL: expected an integer >= 1'],
    ['DYNAMIC_BURN_RATE', '1.5', 'DYNAMIC_BURN_RATE: 1.5 is out of range >= 0 and <= 1'],
    ['DEBUG_SYNTHETIC_TIMINGS', 'fast', 'DEBUG_SYNTHETIC_TIMINGS: expected empty, reference or devnet'],
    ['DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY', 'hard', 'DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: expected empty, production, devnet or minimal'],
    ['DEBUG_OVERRIDE_WEIGHTS_VERSION', 'four', 'DEBUG_OVERRIDE_WEIGHTS_VERSION: expected an integer weights version >= 0 (or empty)'],
    ['USE_CONTRACT_CONFIG', 'sure', 'USE_CONTRACT_CONFIG: expected true or false (true, on, ok, y, yes, 1 / false, off, no, n, 0)'],
    ['CONFIG_CONTRACT_ADDRESS', '0x1234', 'CONFIG_CONTRACT_ADDRESS: expected a 0x-prefixed 20-byte address'],
    ['DYNAMIC_CONFIG_BASE_URL', 'github', 'DYNAMIC_CONFIG_BASE_URL: expected an http(s):// URL (or empty for no remote source)'],
    ['FACILITATOR_URI', 'https://facilitator.computehorde.io', 'FACILITATOR_URI: expected a ws:// or wss:// URL (or empty)'],
    ['DEBUG_FETCH_RECEIPTS_FROM_MINERS', '5Abc:10.0.0.1', 'DEBUG_FETCH_RECEIPTS_FROM_MINERS: expected hotkey:ip:port,hotkey:ip:port,...'],
    ['BITTENSOR_EVM_RPC_URL', 'ftp://x', 'BITTENSOR_EVM_RPC_URL: expected an http(s):// or ws(s):// URL, host:port, or empty'],
    ['DATABASE_SUFFIX', '-x', 'DATABASE_SUFFIX: expected letters, digits or _ (appended to the database name)'],
  ])('%s=%s', (name, value, line) => {
    expect(problemsOf({ [name]: value })).toEqual([line]);
  });

  it('takes the settings an operator and the demo use', () => {
    expect(problemsOf({ DEBUG_SET_SCORES_SECOND: '*/3', DEBUG_SET_SCORES_MINUTE: '*/5', DEBUG_SET_SCORES_HOUR: '*', DEBUG_OVERRIDE_WEIGHTS_VERSION: '2', DEBUG_SYNTHETIC_TIMINGS: 'devnet' })).toEqual([]);
    expect(AppConfig.fromEnv({ DEBUG_OVERRIDE_WEIGHTS_VERSION: '2' }).jobs.DEBUG_OVERRIDE_WEIGHTS_VERSION).toBe(2);
    expect(AppConfig.fromEnv({}).jobs.DEBUG_OVERRIDE_WEIGHTS_VERSION).toBeUndefined();
  });
});

describe('.env.example', () => {
  const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');

  it('copied to .env as is, starts without a problem or a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-example-'));
    writeFileSync(join(dir, '.env'), text);
    const { env, dotenvKeys } = readEnvironment({}, dir);
    expect(AppConfig.fromEnv(env, { dotenvKeys }).warnings).toEqual([]);
  });

  it('names only variables this validator reads (or docker compose does)', () => {
    const names = [...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => !CONFIG_VARIABLES.has(n) && !isDynamicConfigKey(n) && !DEPLOYMENT_VARIABLES.has(n))).toEqual([]);
  });
});
