import type { CliCommandEntry } from '../../common/cli-command-entry';

/** validator-cli commands of the devnet (collected by src/cli/registry.ts; loaded only when run). None uses the database. */
export const DEVNET_COMMANDS: CliCommandEntry[] = [
  {
    name: 'devnet',
    summary: 'run the whole validator locally: local chain, simulated miners and facilitator, the real daemon (same as npm run demo)',
    database: false,
    load: async () => ({ commands: [(await import('./demo.commands')).DevnetDemoCommand] }),
  },
  {
    name: 'devnet-chain',
    summary: 'Run a local subtensor chain with a subnet, a validator and miners (Ctrl-C stops it)',
    database: false,
    load: async () => ({ commands: [(await import('../chain/devnet-chain.command')).DevnetChainCommand] }),
  },
  {
    name: 'devnet-miners',
    summary: 'Run simulated miners that speak the real miner protocol (Ctrl-C stops them)',
    database: false,
    load: async () => ({ commands: [(await import('../miners/devnet-miners.command')).DevnetMinersCommand] }),
  },
  {
    name: 'devnet-facilitator',
    summary: 'run a simulated facilitator: authenticates validators, sends signed jobs, prints the status updates',
    database: false,
    load: async () => ({ commands: [(await import('./facilitator.commands')).DevnetFacilitatorCommand] }),
  },
];
