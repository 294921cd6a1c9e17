import type { Clock } from '../../config/clock';
import type { ValidatorHotkey } from '../../chain/validator-hotkey';
import { MinerConnection } from './miner-connection';
import type { MinerConnectionFailure } from './types';

export interface ShortLivedTarget {
  hotkey: string;
  address: string;
  port: number;
}

/**
 * One question to one miner: connect (2 retries, no reconnect), run `ask`, always close. Used by
 * the manifest poll and the main-hotkey query; jobs use long-lived connections instead.
 */
export async function askMiner<T>(
  target: ShortLivedTarget,
  deps: { validatorHotkey: ValidatorHotkey; clock: Clock; timeoutMs: number },
  ask: (conn: MinerConnection) => Promise<T>,
  onConnectFailure: (failure: MinerConnectionFailure) => T,
): Promise<T> {
  const conn = new MinerConnection({
    minerHotkey: target.hotkey,
    address: target.address,
    port: target.port,
    validatorHotkey: deps.validatorHotkey,
    clock: deps.clock,
    maxRetries: 2,
    reconnect: false,
  });
  try {
    const connected = await conn.connect({ timeoutMs: deps.timeoutMs });
    if (!connected.ok) return onConnectFailure(connected.failure);
    return await ask(conn);
  } finally {
    await conn.close().catch(() => undefined);
  }
}
