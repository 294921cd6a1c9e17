export * from './excuse-receipts';
export * from './allowed-validators';
