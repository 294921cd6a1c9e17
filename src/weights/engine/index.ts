/** Pure scoring and weight maths of the weights module (no Nest, no I/O). */
export * from './types';
export * from './scoring-engine';
export * from './synthetic-era';
export * from './dancing';
export * from './executor-classes';
export * from './python-float';
export * from './numpy-like';
export * from './process-weights';
export * from './burn';
export * from './u16';
export * from './uid-weights';
export * from './grid';
