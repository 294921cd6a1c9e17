import { decodeFunctionResult, encodeFunctionData, getAddress, toEventSelector, toFunctionSelector, type AbiFunction } from 'viem';
import { COLLATERAL_ABI } from './collateral-abi';

const fnSelector = (name: string) => toFunctionSelector(COLLATERAL_ABI.find((e) => e.type === 'function' && e.name === name) as AbiFunction);

describe('collateral ABI (collateral.md §8, §11.2)', () => {
  it('Keccak sanity check: transfer(address,uint256) => 0xa9059cbb', () => {
    expect(toFunctionSelector('transfer(address,uint256)')).toBe('0xa9059cbb');
  });

  it.each([
    ['collaterals', '0xeeb97d3b'],
    ['slashCollateral', '0x3d5899ab'],
    ['TRUSTEE', '0x881cf23b'],
    ['NETUID', '0x06016f71'],
    ['MIN_COLLATERAL_INCREASE', '0x4a7393b2'],
    ['DECISION_TIMEOUT', '0x96c42a0a'],
    ['reclaims', '0x9cf96318'],
    ['deposit', '0xd0e30db0'],
    ['reclaimCollateral', '0xc1ebd809'],
    ['finalizeReclaim', '0x07d86788'],
    ['denyReclaimRequest', '0xb4314e2b'],
  ])('function %s has selector %s', (name, selector) => {
    expect(fnSelector(name)).toBe(selector);
  });

  it.each([
    ['Deposit', '0xe1fffcc4923d04b559f4d29a8bfc6cda04eb5b0d3c460751c2402c5c5cc9109c'],
    ['ReclaimProcessStarted', '0x2f943e4cd7c1436030677d9a3aad2cc7d2d62a62e101978e5ae4a85ae24ce72a'],
    ['Reclaimed', '0xe79f76d3ef42e7845b4f718917861642d857a02a4e690c28e79e5af7f5f8f2d3'],
    ['Denied', '0x6067048e78883441f7c7f1b3ad8f94a88b1567a486029be8a830e9455f61edb9'],
    ['Slashed', '0x13e34a2b471e94d4eaadfef8e57e8773fdb4657d2d5cdbd264e2efbd41196ab5'],
  ])('event %s has topic0 %s', (name, topic) => {
    const ev = COLLATERAL_ABI.find((e) => e.type === 'event' && e.name === name);
    expect(ev && toEventSelector(ev as Parameters<typeof toEventSelector>[0])).toBe(topic);
  });

  it.each([
    ['AmountZero', '0xcbca5aa2'],
    ['BeforeDenyTimeout', '0x3355482c'],
    ['InsufficientAmount', '0x5945ea56'],
    ['InvalidDepositMethod', '0x84ee6c0a'],
    ['NotTrustee', '0x5aa309bb'],
    ['PastDenyTimeout', '0xfc9e5c02'],
    ['ReclaimAmountTooLarge', '0xf250313b'],
    ['ReclaimAmountTooSmall', '0xe39815fd'],
    ['ReclaimNotFound', '0x642e3ad7'],
    ['TransferFailed', '0x90b8ec18'],
  ])('error %s has selector %s', (name, selector) => {
    expect(toFunctionSelector(`${name}()`)).toBe(selector);
    expect(COLLATERAL_ABI.some((e) => e.type === 'error' && e.name === name)).toBe(true);
  });

  it('collaterals(0x1234…7890) calldata', () => {
    expect(encodeFunctionData({ abi: COLLATERAL_ABI, functionName: 'collaterals', args: ['0x1234567890123456789012345678901234567890'] })).toBe(
      '0xeeb97d3b0000000000000000000000001234567890123456789012345678901234567890',
    );
  });

  it('a return value of 0.01 TAO decodes to 10^16 wei', () => {
    const data = '0x000000000000000000000000000000000000000000000000002386f26fc10000';
    expect(decodeFunctionResult({ abi: COLLATERAL_ABI, functionName: 'collaterals', data })).toBe(10_000_000_000_000_000n);
  });

  it('slashCollateral calldata of the spec vector', () => {
    const data = encodeFunctionData({
      abi: COLLATERAL_ABI,
      functionName: 'slashCollateral',
      args: ['0x1234567890123456789012345678901234567890', 5_000_000_000_000_000n, 'job 3fa85f64-5717-4562-b3fc-2c963f66afa6 cheated', '0x00000000000000000000000000000000'],
    });
    expect(data).toBe(
      '0x3d5899ab' +
        '0000000000000000000000001234567890123456789012345678901234567890' +
        '0000000000000000000000000000000000000000000000000011c37937e08000' +
        '0000000000000000000000000000000000000000000000000000000000000080' +
        '0000000000000000000000000000000000000000000000000000000000000000' +
        '0000000000000000000000000000000000000000000000000000000000000030' +
        '6a6f622033666138356636342d353731372d343536322d623366632d32633936' +
        '3366363661666136206368656174656400000000000000000000000000000000',
    );
  });

  it.each([
    ['0x77407f1709d339f5583feac922c0592e248f785f', '0x77407F1709D339f5583fEaC922C0592e248F785F'],
    ['0x345a2942292197b7d9ebc1438213be3e0191091d', '0x345a2942292197B7D9EbC1438213Be3e0191091D'],
    ['0x1234567890123456789012345678901234567890', '0x1234567890123456789012345678901234567890'],
    ['0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
  ])('EIP-55 checksum of %s', (lower, checksummed) => {
    expect(getAddress(lower)).toBe(checksummed);
  });
});
