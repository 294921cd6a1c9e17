export * from './behaviour';
export * from './job-runner';
export * from './echo-hash.runner';
export * from './executor-work';
export * from './simulated-miner';
export * from './horde';
export { readZip, writeZip, type ZipEntries } from '../../common/zip';
