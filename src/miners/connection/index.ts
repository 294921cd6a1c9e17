export * from './types';
export * from './miner-connection';
export * from './short-lived';
export * from './factory';
