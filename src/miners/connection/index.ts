export * from './types';
export * from './miner-connection';
