import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFunctionData, decodeFunctionResult, encodeAbiParameters } from 'viem';
import { parseRemoteDocument } from './remote-document';
import { parseJsonLossless } from './lossless-json';
import { jsonConfigUrls } from './json-source';
import { MAP_CONTRACT_ABI } from './map-contract-source';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'dynamic-config');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

describe('remote document (configuration.md §5.2, vectors §9.1)', () => {
  it('keeps only DYNAMIC_ keys', () => {
    const doc = parseRemoteDocument('x', { RANDOM_KEY: { description: '...', items: [{ value: 1 }] }, DYNAMIC_KEY: { description: '...', items: [{ value: 2 }] } }, new Date());
    expect([...doc.values]).toEqual([['DYNAMIC_KEY', { value: 2 }]]);
  });

  it('skips future items; the last one in effect wins; one effective exactly now counts', () => {
    const items = [1, 2, 3, 4, 5].map((i) => ({ value: i, effective_from: `2024-01-0${i}T00:00:00.000Z` }));
    const at = (iso: string) => parseRemoteDocument('x', { DYNAMIC_KEY: { description: '...', items } }, new Date(iso)).values.get('DYNAMIC_KEY')?.value;
    expect(at('2024-01-02T00:00:00Z')).toBe(2);
    expect(at('2024-01-03T00:01:01Z')).toBe(3);
    expect(at('2024-01-04T01:01:01Z')).toBe(4);
  });

  it('list order decides, not dates; a time without a zone is UTC', () => {
    const items = [{ value: 'late', effective_from: '2024-06-01T00:00:00' }, { value: 'early', effective_from: '2024-01-01' }];
    expect(parseRemoteDocument('x', { DYNAMIC_KEY: { description: '', items } }, new Date('2024-07-01Z')).values.get('DYNAMIC_KEY')?.value).toBe('early');
    expect(parseRemoteDocument('x', { DYNAMIC_KEY: { description: '', items } }, new Date('2024-05-31T23:59:59Z')).values.get('DYNAMIC_KEY')?.value).toBe('early');
    const onlyFuture = parseRemoteDocument('x', { DYNAMIC_KEY: { description: '', items: [items[0]] } }, new Date('2024-05-31T23:59:59Z'));
    expect(onlyFuture.values.size).toBe(0);
    expect(onlyFuture.pending).toEqual(['DYNAMIC_KEY']);
  });

  it('stores JSON values as given', () => {
    expect(parseRemoteDocument('x', { DYNAMIC_KEY: { description: '...', items: [{ value: { key: [1, 2, 3] } }] } }, new Date()).values.get('DYNAMIC_KEY')?.value).toEqual({ key: [1, 2, 3] });
  });

  it('refuses a malformed entry alone and keeps the others', () => {
    const doc = parseRemoteDocument('x', {
      DYNAMIC_A: { items: [{ value: 1 }] },
      DYNAMIC_B: { description: '', items: [{ value: 1, effective_from: 'next tuesday' }] },
      DYNAMIC_C: { description: '', items: [{ reason: 'no value' }] },
      DYNAMIC_D: { description: '', items: [{ value: 4 }] },
    }, new Date());
    expect(doc.malformed).toEqual([
      { key: 'DYNAMIC_A', reason: 'missing "description"' },
      { key: 'DYNAMIC_B', reason: 'item 0: "effective_from" is not an ISO-8601 date' },
      { key: 'DYNAMIC_C', reason: 'item 0 has no "value"' },
    ]);
    expect([...doc.values.keys()]).toEqual(['DYNAMIC_D']);
    expect(() => parseRemoteDocument('x', [], new Date())).toThrow('x: expected a JSON object of keys');
  });

  it("reads the subnet owner's production file: timelocked weights, the burn, the latest effective cap", () => {
    const doc = parseRemoteDocument('prod', fixture('validator-config-prod.json'), new Date('2026-04-16T00:00:00Z'));
    expect(doc.values.get('DYNAMIC_COMMIT_REVEAL_WEIGHTS_ENABLED')?.value).toBe(false);
    expect(doc.values.get('DYNAMIC_BURN_RATE')?.value).toBe(0.9935);
    expect(doc.values.get('DYNAMIC_BURN_PARTITION')?.value).toBe(0.975);
    expect(doc.values.get('DYNAMIC_WEIGHTS_VERSION')?.value).toBe(4);
    expect(doc.values.get('DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS')).toEqual({ value: 'always_on.llm.a6000=100', effectiveFrom: '2025-02-11T11:50:24.000Z', reason: expect.any(String) });
    const before = parseRemoteDocument('prod', fixture('validator-config-prod.json'), new Date('2025-02-01T00:00:00Z'));
    expect(before.values.get('DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS')?.value).toBe('always_on.llm.a6000=50');
    expect(parseRemoteDocument('common', fixture('common-config-prod.json'), new Date()).values.get('DYNAMIC_EXECUTOR_STARTUP_TIME_LIMIT')?.value).toBe(10);
  });

  it('names the two files under the base URL, validator first', () => {
    expect(jsonConfigUrls('https://raw.githubusercontent.com/backend-developers-ltd/compute-horde-dynamic-config/master', 'prod')).toEqual([
      'https://raw.githubusercontent.com/backend-developers-ltd/compute-horde-dynamic-config/master/validator-config-prod.json',
      'https://raw.githubusercontent.com/backend-developers-ltd/compute-horde-dynamic-config/master/common-config-prod.json',
    ]);
  });
});

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 exact as decimal strings, and nothing else changes', () => {
    expect(parseJsonLossless('{"a": 123456789012345678901234567890, "b": 9007199254740991, "c": 1.5e300, "d": "12345678901234567890", "e": [-98765432109876543210]}')).toEqual({
      a: '123456789012345678901234567890',
      b: 9007199254740991,
      c: 1.5e300,
      d: '12345678901234567890',
      e: ['-98765432109876543210'],
    });
    expect(parseJsonLossless('"a \\" 12345678901234567890"')).toBe('a " 12345678901234567890');
    expect(() => parseJsonLossless('{"a": 01}')).toThrow();
  });
});

describe('map contract encoding (configuration.md §9.2)', () => {
  it('value("DYNAMIC_WEIGHTS_VERSION") calldata', () => {
    expect(encodeFunctionData({ abi: MAP_CONTRACT_ABI, functionName: 'value', args: ['DYNAMIC_WEIGHTS_VERSION'] })).toBe(
      '0xc6e15443' +
        '0000000000000000000000000000000000000000000000000000000000000020' +
        '0000000000000000000000000000000000000000000000000000000000000017' +
        '44594e414d49435f574549474854535f56455253494f4e000000000000000000',
    );
  });
  it('a returned "4" is the integer 4; an empty string means absent', () => {
    const ret = decodeFunctionResult({ abi: MAP_CONTRACT_ABI, functionName: 'value', data: encodeAbiParameters([{ type: 'string' }], ['4']) });
    expect(parseJsonLossless(ret)).toBe(4);
    expect(decodeFunctionResult({ abi: MAP_CONTRACT_ABI, functionName: 'value', data: encodeAbiParameters([{ type: 'string' }], ['']) })).toBe('');
  });
});
