import { MinerConnection } from './miner-connection';
import type { MinerConnectionApi, MinerConnectionOptions } from './types';

/**
 * Injection token of the function that opens a miner connection; optional everywhere, the default
 * builds a `MinerConnection`. Tests and benchmarks provide their own (recording, failing...).
 */
export const MINER_CONNECTION_FACTORY = Symbol('MINER_CONNECTION_FACTORY');
export type MinerConnectionFactory = (opts: MinerConnectionOptions) => MinerConnectionApi;

export const defaultMinerConnectionFactory: MinerConnectionFactory = (opts) => new MinerConnection(opts);
