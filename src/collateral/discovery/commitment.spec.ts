import { hexToU8a, stringToU8a } from '@polkadot/util';
import { contractAddressFromCommitment } from './commitment';

describe('contract address from the commitment (collateral.md §4, §11.3, §11.1 item 4)', () => {
  it('§11.3 Raw71 vector => 0x345a2942292197B7D9EbC1438213Be3e0191091D', () => {
    const raw = hexToU8a(
      '0x7b22636f6e7472616374223a207b2261646472657373223a2022307833343561323934323239323139374237443945624331343338323133426533653031393130393144227d7d',
    );
    expect(raw.length).toBe(71);
    expect(contractAddressFromCommitment(raw)).toBe('0x345a2942292197B7D9EbC1438213Be3e0191091D');
  });

  it('§11.1 item 4: {"contract": {"address": "0xcontract"}} => "0xcontract" (as written)', () => {
    expect(contractAddressFromCommitment(stringToU8a('{"contract": {"address": "0xcontract"}}'))).toBe('0xcontract');
  });

  it('compact separators parse too', () => {
    expect(contractAddressFromCommitment(stringToU8a('{"contract":{"address":"0xAbC"}}'))).toBe('0xAbC');
  });

  it.each([
    ['{"foo": 1}', '{"foo": 1}'],
    ['non-JSON', 'contract=0x345a2942292197B7D9EbC1438213Be3e0191091D'],
    ['address missing', '{"contract": {}}'],
    ['address not a string', '{"contract": {"address": 12}}'],
    ['contract is a list', '{"contract": ["0x1"]}'],
  ])('§11.3: %s => none', (_label, text) => {
    expect(contractAddressFromCommitment(stringToU8a(text))).toBeNull();
  });

  it('invalid UTF-8 => none', () => {
    expect(contractAddressFromCommitment(new Uint8Array([0xff, 0xfe, 0x7b]))).toBeNull();
  });
});
