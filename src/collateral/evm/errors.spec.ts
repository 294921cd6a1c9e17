import { collateralErrorFromRpcMessage, NonceTooHighCollateralError, NonceTooLowCollateralError, ReplacementUnderpricedCollateralError, reasonFromRevert } from './errors';

describe('RPC error mapping (collateral.md §11.1 item 8)', () => {
  it.each([
    ['replacement transaction underpriced', ReplacementUnderpricedCollateralError],
    ['nonce too low', NonceTooLowCollateralError],
    ['Nonce Too High: account 0x.. has nonce 5', NonceTooHighCollateralError],
  ])('"%s" is a retriable %p', (message, cls) => {
    const e = collateralErrorFromRpcMessage(message);
    expect(e).toBeInstanceOf(cls);
    expect(e.retriable).toBe(true);
  });

  it('any other RPC failure is a generic, non-retriable CollateralError', () => {
    const e = collateralErrorFromRpcMessage('unknown rpc failure');
    expect(e.constructor.name).toBe('CollateralError');
    expect(e).toMatchObject({ retriable: false, reason: 'rpc_error', message: 'unknown rpc failure' });
  });

  it('names the on-chain cause of a failed slash', () => {
    expect(reasonFromRevert('NotTrustee')).toBe('not_trustee');
    expect(reasonFromRevert('InsufficientAmount')).toBe('insufficient_collateral');
    expect(reasonFromRevert('AmountZero')).toBe('amount_zero');
    expect(reasonFromRevert(undefined)).toBe('transaction_failed');
  });
});
