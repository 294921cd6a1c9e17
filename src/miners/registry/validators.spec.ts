import { MIN_VALIDATOR_STAKE_RAO, selectValidators } from './validators';

const TAO = 1_000_000_000n;
const n = (uid: number, stakeTao: bigint, hotkey = `hk${uid}`) => ({ uid, hotkey, stake: stakeTao * TAO });

describe('selectValidators (chain-scoring-weights.md §2.5)', () => {
  it('keeps stake >= 1000 TAO, sorted by stake descending, ties by uid', () => {
    const picked = selectValidators([n(0, 999n), n(1, 1000n), n(2, 5000n), n(3, 1000n), n(4, 20000n)]);
    expect(picked.map((v) => v.uid)).toEqual([4, 2, 1, 3]);
  });
  it('keeps the first 24', () => {
    const many = Array.from({ length: 30 }, (_, i) => n(i, 2000n + BigInt(i)));
    const picked = selectValidators(many);
    expect(picked).toHaveLength(24);
    expect(picked[0].uid).toBe(29);
    expect(picked[23].uid).toBe(6);
  });
  it('puts prioritised hotkeys first when they pass the threshold', () => {
    const picked = selectValidators([n(0, 5000n), n(1, 1500n, 'BAC'), n(2, 10n, 'LOW')], { prioritize: ['BAC', 'LOW'], limit: 2 });
    expect(picked.map((v) => v.hotkey)).toEqual(['BAC', 'hk0']);
  });
  it('accepts a raw-rao threshold (synthetic-era quirk) and a custom limit', () => {
    expect(selectValidators([n(0, 0n), { uid: 1, hotkey: 'x', stake: 1000n }], { minStake: 1000n }).map((v) => v.uid)).toEqual([1]);
    expect(MIN_VALIDATOR_STAKE_RAO).toBe(1000n * TAO);
  });
});
