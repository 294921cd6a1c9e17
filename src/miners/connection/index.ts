export * from './types';
export * from './miner-connection';
export * from './miner-url';
export * from './short-lived';
export * from './factory';
