import { u8aToHex } from '@polkadot/util';
import { hashCommit, hashCommitPreimage } from './commit-hash';

// scoring-synthetic-era.md §9.9.
describe('hash commit', () => {
  const input = {
    publicKey: Uint8Array.from({ length: 32 }, (_, i) => i),
    netuid: 12,
    uids: [1, 2, 3, 4],
    values: [16384, 32768, 49151, 65535],
    salt: [1, 2, 3, 4, 5, 6, 7, 8],
    versionKey: 2n,
  };
  test('preimage bytes', () => {
    expect(u8aToHex(hashCommitPreimage(input))).toBe(
      '0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0c001001000200030004001000400080ffbfffff20010002000300040005000600070008000200000000000000',
    );
  });
  test('commit hash', () => {
    expect(hashCommit(input)).toBe('0xae204859b27ce314fc7ea6866214e03079113bb3c6d3e17c31d06956eed38bc0');
  });
  test('a value outside u16 is refused', () => {
    expect(() => hashCommit({ ...input, values: [70000] })).toThrow(/u16/);
  });
});
