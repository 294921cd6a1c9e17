import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigError, loadEnvironment } from './app-config';

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

  it('parses booleans the django-environ way (vector 9.3)', () => {
    expect(AppConfig.fromEnv({ DEBUG: 'on' }).core.DEBUG).toBe(true);
    expect(AppConfig.fromEnv({ DEBUG: '0' }).core.DEBUG).toBe(false);
    expect(AppConfig.fromEnv({ DEBUG: 'YES' }).core.DEBUG).toBe(true);
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
});
