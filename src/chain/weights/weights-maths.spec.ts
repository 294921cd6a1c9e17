import { u8aToHex } from '@polkadot/util';
import { weightsCommitHash, weightsCommitPreimage, randomSalt } from './commit-hash';
import { normalizeToU16, pyRound, scaleForCommit } from './u16';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('hash commit (scoring-synthetic-era.md §9.9)', () => {
  const w = { uids: [1, 2, 3, 4], values: [16384, 32768, 49151, 65535] };
  it('builds the exact preimage', () => {
    expect(u8aToHex(weightsCommitPreimage(KEY, 12, w, [1, 2, 3, 4, 5, 6, 7, 8], 2n))).toBe(
      '0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0c001001000200030004001000400080ffbfffff20010002000300040005000600070008000200000000000000',
    );
  });
  it('hashes to the vector', () => {
    expect(weightsCommitHash(KEY, 12, w, [1, 2, 3, 4, 5, 6, 7, 8], 2n)).toBe('0xae204859b27ce314fc7ea6866214e03079113bb3c6d3e17c31d06956eed38bc0');
  });
  it('refuses values that are not u16', () => {
    expect(() => weightsCommitHash(KEY, 12, { uids: [1], values: [65536] }, [1], 2n)).toThrow(/u16/);
  });
  it('draws a salt of 8 byte-sized values', () => {
    const salt = randomSalt();
    expect(salt).toHaveLength(8);
    expect(salt.every((s) => Number.isInteger(s) && s >= 0 && s <= 255)).toBe(true);
  });
});

describe('u16 conversion', () => {
  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, 32767.5, 2.4999, 16383.75].map(pyRound)).toEqual([0, 2, 2, 32768, 2, 16384]);
  });
  it('reproduces _normalize_weights_for_committing([0.5, 1.5, 100.1, 30], 65535)', () => {
    expect(scaleForCommit([0.5, 1.5, 100.1, 30])).toEqual([327, 982, 65535, 19641]);
  });
  it('reproduces the reveal vector [16384, 32768, 49151, 65535]', () => {
    expect(scaleForCommit([0.25, 0.5, 0.75, 1])).toEqual([16384, 32768, 49151, 65535]);
    expect(normalizeToU16([0.25, 0.5, 0.75, 1])).toEqual([16384, 32768, 49151, 65535]);
  });
  it('keeps all-zero weights at zero for set_weights and refuses to commit them', () => {
    expect(normalizeToU16([0, 0])).toEqual([0, 0]);
    expect(() => scaleForCommit([0, 0])).toThrow(/all weights are zero/);
  });
  it('matches the chain README example (100, 200, 300)', () => {
    expect(normalizeToU16([100, 200, 300])).toEqual([21845, 43690, 65535]);
  });
});
