export * from './json-tree';
export * from './json-text';
export * from './fields';
export * from './volumes-and-uploads';
export * from './messages';
export * from './signature';
export * from './outbound';
export * from './sr25519-fast';
