import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDynamicValue, DynamicConfigValueError } from './dynamic-config.parse';
import { DYNAMIC_CONFIG_KEYS, DynamicConfigKey } from './dynamic-config.keys';
import { parseRemoteDocument } from './remote/remote-document';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'dynamic-config');

function refusal(key: DynamicConfigKey, raw: unknown): string {
  try {
    checkDynamicValue(key, raw);
  } catch (e) {
    if (e instanceof DynamicConfigValueError) return e.message;
    throw e;
  }
  throw new Error(`${key}=${String(raw)} was accepted`);
}

describe('dynamic config values: one check for every source', () => {
  it('accepts every default', () => {
    for (const [key, spec] of Object.entries(DYNAMIC_CONFIG_KEYS)) {
      expect(checkDynamicValue(key as DynamicConfigKey, spec.default).value).toEqual(spec.default);
    }
  });

  it('refuses a burn rate above 1, and ranges are named in the message', () => {
    expect(refusal('DYNAMIC_BURN_RATE', '1.5')).toBe('DYNAMIC_BURN_RATE: 1.5 is out of range >= 0 and <= 1');
    expect(refusal('DYNAMIC_BURN_RATE', -0.1)).toBe('DYNAMIC_BURN_RATE: -0.1 is out of range >= 0 and <= 1');
    expect(checkDynamicValue('DYNAMIC_BURN_RATE', '0.9935').value).toBe(0.9935);
    expect(refusal('DYNAMIC_ROUTING_RELIABILITY_SOFT_CUTOFF', 0)).toBe('DYNAMIC_ROUTING_RELIABILITY_SOFT_CUTOFF: 0 is out of range < 0');
  });

  it('refuses integers that are not integers', () => {
    expect(refusal('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', 'abc')).toBe('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL: expected an integer >= 1');
    expect(refusal('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', 722.5)).toContain('expected an integer');
    expect(refusal('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', '0')).toContain('out of range >= 1');
    expect(checkDynamicValue('DYNAMIC_COMMIT_REVEAL_WEIGHTS_INTERVAL', ' 360 ').value).toBe(360);
  });

  it('keeps wei amounts exact and refuses fractions', () => {
    expect(checkDynamicValue('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI', '123456789012345678901234567890').value).toBe(123456789012345678901234567890n);
    expect(checkDynamicValue('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI', 10).value).toBe(10n);
    expect(refusal('DYNAMIC_MINIMUM_COLLATERAL_AMOUNT_WEI', '1e18')).toContain('expected an integer amount of wei');
    expect(refusal('DYNAMIC_COLLATERAL_SLASH_AMOUNT_WEI', '-1')).toContain('out of range >= 0');
  });

  it('takes booleans as JSON or as the django words, and refuses anything else', () => {
    expect(checkDynamicValue('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', false).value).toBe(false);
    expect(checkDynamicValue('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED', 'off').value).toBe(false);
    expect(checkDynamicValue('SERVING', 'yes').value).toBe(true);
    expect(refusal('SERVING', 'maybe')).toBe('SERVING: expected true or false');
    expect(refusal('SERVING', 'true-ish')).toBe('SERVING: expected true or false');
  });

  it('refuses executor class weights that are malformed or not finite (issue 15: inf gave NaN weights)', () => {
    expect(refusal('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'zzz')).toBe('DYNAMIC_EXECUTOR_CLASS_WEIGHTS: expected class=number,... but found "zzz"');
    expect(refusal('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'spin_up-4min.gpu-24gb=inf')).toContain('"spin_up-4min.gpu-24gb=inf": expected a finite number');
    expect(refusal('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'spin_up-4min.gpu-24gb=nan')).toContain('expected a finite number');
    expect(refusal('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'spin_up-4min.gpu-24gb=1,')).toContain('found ""');
    expect(refusal('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'spin up=1')).toContain('is not an executor class name');
    expect(checkDynamicValue('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', '').value).toBe('');
  });

  it("accepts a well-formed class this validator does not know (the subnet owner's published weights name one), with a note", () => {
    const checked = checkDynamicValue('DYNAMIC_EXECUTOR_CLASS_WEIGHTS', 'always_on.cpu.8c.16gb=100');
    expect(checked.value).toBe('always_on.cpu.8c.16gb=100');
    expect(checked.notes).toEqual(['executor class "always_on.cpu.8c.16gb" is not one this validator knows; that item has no effect (as in the reference)']);
  });

  it('checks per-class integer caps, class lists, burn addresses and event limits', () => {
    expect(checkDynamicValue('DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS', 'always_on.llm.a6000=-1').value).toBe('always_on.llm.a6000=-1');
    expect(refusal('DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS', 'always_on.llm.a6000=2.5')).toContain('expected an integer');
    expect(checkDynamicValue('DYNAMIC_SYNTHETIC_STREAMING_JOB_EXECUTOR_CLASSES', 'always_on.llm.a6000,').notes).toEqual([]);
    expect(refusal('DYNAMIC_BURN_TARGET_SS58ADDRESSES', '5G3iqUhDEx7fsitZGsYaqtHyC4qiQAU8MK6YGfsHFvw5tUbx, 5Eym5ZrFCQERszCTn13vbA2J9cfQbY7rk44yxVDN5hb7d4AU')).toBe(
      'DYNAMIC_BURN_TARGET_SS58ADDRESSES: " 5Eym5ZrFCQERszCTn13vbA2J9cfQbY7rk44yxVDN5hb7d4AU" holds whitespace (expected comma-separated addresses without spaces)',
    );
    expect(refusal('DYNAMIC_BURN_TARGET_SS58ADDRESSES', 'Comma-separated list of ss58 addresses')).toContain('holds whitespace');
    expect(checkDynamicValue('DYNAMIC_BURN_TARGET_SS58ADDRESSES', '5G3iqUhDEx7fsitZGsYaqtHyC4qiQAU8MK6YGfsHFvw5tUbx,hotkey_1').notes).toEqual(['"hotkey_1" is not an ss58 address; it matches no hotkey']);
    expect(refusal('DYNAMIC_SYSTEM_EVENT_LIMITS', 'MINER_SYNTHETIC_JOB_FAILURE,LLM_PROMPT_ANSWERS_MISSING')).toContain('expected TYPE,SUBTYPE,N');
    expect(checkDynamicValue('DYNAMIC_SYSTEM_EVENT_LIMITS', 'NOT_A_TYPE,SUCCESS,3').notes).toEqual(['"NOT_A_TYPE,SUCCESS" is not a known event type and subtype; that limit has no effect']);
  });

  it("accepts every value the subnet owner publishes today (prod and testnet files)", () => {
    const now = new Date('2026-04-16T00:00:00Z');
    for (const file of ['validator-config-prod.json', 'common-config-prod.json', 'validator-config-testnet.json', 'common-config-testnet.json']) {
      const doc = parseRemoteDocument(file, JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')), now);
      expect(doc.malformed).toEqual([]);
      for (const [key, item] of doc.values) {
        if (key in DYNAMIC_CONFIG_KEYS) expect(() => checkDynamicValue(key as DynamicConfigKey, item.value)).not.toThrow();
      }
    }
  });
});
