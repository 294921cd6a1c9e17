/**
 * Failures of the collateral subsystem. `reason` is a stable short code for system events and
 * dashboards; `retriable` follows the reference's retry list (collateral.md §7.2, §7.3).
 */
export type CollateralFailureReason =
  | 'no_evm_key'
  | 'miner_not_found'
  | 'no_evm_address'
  | 'rpc_unavailable'
  | 'amount_not_positive'
  | 'no_contract'
  | 'url_fetch_failed'
  | 'nonce_too_low'
  | 'nonce_too_high'
  | 'replacement_underpriced'
  | 'rpc_error'
  | 'receipt_timeout'
  | 'not_trustee'
  | 'insufficient_collateral'
  | 'amount_zero'
  | 'transaction_failed';

export class CollateralError extends Error {
  constructor(
    message: string,
    readonly reason: CollateralFailureReason,
    readonly retriable: boolean = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The EVM endpoint did not answer (reference: ProviderConnectionError; retriable). */
export class ProviderConnectionError extends CollateralError {
  constructor(message: string) {
    super(message, 'rpc_unavailable', true);
  }
}

/** A check before or after the transaction failed (reference: SlashCollateralError; not retriable). */
export class SlashCollateralError extends CollateralError {}

export class NonceTooLowCollateralError extends CollateralError {
  constructor(message: string) {
    super(message, 'nonce_too_low', true);
  }
}
export class NonceTooHighCollateralError extends CollateralError {
  constructor(message: string) {
    super(message, 'nonce_too_high', true);
  }
}
export class ReplacementUnderpricedCollateralError extends CollateralError {
  constructor(message: string) {
    super(message, 'replacement_underpriced', true);
  }
}

/**
 * Maps the message of a JSON-RPC error answered while building or sending the transaction
 * (case-insensitive substring match, as the reference does).
 */
export function collateralErrorFromRpcMessage(message: string): CollateralError {
  const m = message.toLowerCase();
  if (m.includes('nonce too low')) return new NonceTooLowCollateralError(message);
  if (m.includes('nonce too high')) return new NonceTooHighCollateralError(message);
  if (m.includes('replacement transaction underpriced')) return new ReplacementUnderpricedCollateralError(message);
  return new CollateralError(message, 'rpc_error', false);
}

/** Contract custom errors that explain a failed slash. */
export function reasonFromRevert(errorName: string | undefined): CollateralFailureReason {
  switch (errorName) {
    case 'NotTrustee':
      return 'not_trustee';
    case 'InsufficientAmount':
      return 'insufficient_collateral';
    case 'AmountZero':
      return 'amount_zero';
    default:
      return 'transaction_failed';
  }
}
