import { associationKey, associationPrefix, decodeAssociationEntry, encodeAssociationValue } from './association-storage';

/**
 * Storage vectors of `SubtensorModule.AssociatedEvmAddress` (collateral.md §2.2): the local test
 * runtime (spec 218) predates the item, so its encoding is checked here against hand-computed keys.
 */
describe('AssociatedEvmAddress storage layout', () => {
  // twox128("SubtensorModule") ++ twox128("AssociatedEvmAddress") ++ twox64(0x0c00) ++ 0x0c00
  const PREFIX_NETUID_12 = '0x658faa385070e074c85bf6b568cf0555' + '2ee3ea5cc28fb0bcd7e9c900544e35b2' + '4b9bd30d03d0266b' + '0c00';

  it('prefix is twox128(pallet) ++ twox128(item) ++ Twox64Concat(netuid u16 LE)', () => {
    expect(associationPrefix(12)).toBe(PREFIX_NETUID_12);
  });

  it('a key is prefix ++ Twox64Concat(uid u16 LE)', () => {
    const key = associationKey(12, 258);
    expect(key.startsWith(associationPrefix(12))).toBe(true);
    expect(key.endsWith('0201')).toBe(true);
  });

  it('decodes (H160, u64) to a lowercase address, uid and block', () => {
    const key = associationKey(12, 7);
    const value = encodeAssociationValue('0x77407F1709D339f5583fEaC922C0592e248F785F', 4_000_123n);
    expect(value).toBe('0x77407f1709d339f5583feac922c0592e248f785f' + '7b093d0000000000');
    expect(decodeAssociationEntry(12, key, value)).toEqual({ uid: 7, evmAddress: '0x77407f1709d339f5583feac922c0592e248f785f', block: 4_000_123n });
  });

  it('refuses entries of another subnet or a malformed value', () => {
    const value = encodeAssociationValue('0x1234567890123456789012345678901234567890', 1n);
    expect(decodeAssociationEntry(12, associationKey(13, 1), value)).toBeNull();
    expect(decodeAssociationEntry(12, associationKey(12, 1), '0x1234')).toBeNull();
  });
});
