import { u8aToHex } from '@polkadot/util';
import { weightsCommitHash, weightsCommitPreimage, randomSalt } from './commit-hash';

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
