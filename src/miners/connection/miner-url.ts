/** ws:// URL of a miner's validator interface; IPv6 literals are bracketed. */
export function minerUrl(address: string, port: number, validatorHotkey: string): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `ws://${host}:${port}/v0.1/validator_interface/${validatorHotkey}`;
}

/** Reference backoff after failed attempt number `attempt` (1-based): base*2^attempt + uniform(0, jitter). */
export function connectRetryDelayMs(attempt: number, baseMs = 1000, jitterMs = 1000, random: () => number = Math.random): number {
  return baseMs * 2 ** attempt + random() * jitterMs;
}
