import { PythonRandom } from './python-random';

// Vectors: spec scoring-synthetic-era.md §9.3, chain-scoring-weights.md §5.4, and values printed by
// CPython 3.11.7 `random.Random` for the other seeds below.
describe('PythonRandom (CPython 3.11 random.Random)', () => {
  const blockHash = '0xed0050a68f7027abdf10a5e4bd7951c00d886ddbb83bed5b3236ed642082b464';

  it('string seed: first genrand_uint32 of the spec block hash', () => {
    expect(new PythonRandom(blockHash).genrandUint32()).toBe(448172643);
  });

  it('string seed: shuffle of 0..10 matches the spec vector', () => {
    const x = Array.from({ length: 11 }, (_, i) => i);
    new PythonRandom(blockHash).shuffle(x);
    expect(x).toEqual([7, 5, 6, 2, 0, 8, 4, 9, 10, 3, 1]);
  });

  it('integer seed 0: first word and choice vectors', () => {
    expect(new PythonRandom(0).genrandUint32()).toBe(3626764237);
    expect(new PythonRandom(0).choice(['a', 'b'])).toBe('b');
    expect(new PythonRandom(722).choice(['a', 'b'])).toBe('a');
    expect(new PythonRandom(0).choice(['a', 'b', 'c'])).toBe('b');
  });

  it('longer shuffle, big integer seed, getrandbits > 32, random()', () => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    new PythonRandom('hello').shuffle(x);
    expect(x.slice(0, 20)).toEqual([89, 43, 9, 56, 35, 3, 7, 91, 17, 81, 53, 67, 74, 46, 38, 13, 49, 39, 63, 33]);
    const r = new PythonRandom(2n ** 70n + 5n);
    expect(r.getrandbits(32)).toBe(2004888747);
    expect(r.getrandbitsBig(70)).toBe(746629573261074141371n);
    expect(r.random()).toBe(0.3684083919879382);
  });

  it('empty and non-ASCII string seeds, randbelow above 32 bits', () => {
    expect(new PythonRandom('').genrandUint32()).toBe(4124137760);
    expect(new PythonRandom('zażółć').random()).toBe(0.7229032685708516);
    const r = new PythonRandom(12345);
    expect([r.randbelow(1e12), r.randbelow(1e12), r.randbelow(1e12)]).toEqual([804948253063, 897691841093, 884012530637]);
  });

  it('rejects an empty choice', () => {
    expect(() => new PythonRandom(1).choice([])).toThrow('empty sequence');
  });
});
