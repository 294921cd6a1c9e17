/** Public interface of the miner protocol (pure: no Nest, no I/O). See README.md. */
export * from './enums';
export * from './executor-class';
export * from './canonical-json';
export * from './datetime';
export * from './signing';
export * from './auth';
export * from './volume';
export * from './output-upload';
export * from './streaming';
export * from './receipts';
export * from './messages/build';
export * from './messages/common';
export * from './messages/validator-to-miner';
export * from './messages/miner-to-validator';
export * from './parse';
export * from './serialize';
export { parseModel, type ParseOutcome } from './model';
export * from './python-format';
