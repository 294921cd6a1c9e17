/**
 * One line for an operator: the error's message, never its stack. Nest's dependency errors (a
 * command registered without a module it needs) say so plainly: that is a bug, not a setting.
 */
export function describeFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (/Nest can't resolve dependencies/.test(e.message)) return `internal error: ${e.message.split('\n')[0]} (a command's module list in src/*/commands/index.ts is incomplete)`;
  // The chain client's own message promises a retry, which a one-off command does not make.
  if (e.name === 'ChainUnavailableError') return `${e.message.replace(/; retrying in the background$/, '')}; check BITTENSOR_NETWORK (and BT_SUBTENSOR_CHAIN_ENDPOINT for "local")`;
  if (e.name === 'WalletError') return `${e.message}; check BITTENSOR_WALLET_DIRECTORY, BITTENSOR_WALLET_NAME and BITTENSOR_WALLET_HOTKEY_NAME`;
  return e.message;
}
