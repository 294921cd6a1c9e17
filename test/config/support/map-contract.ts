import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress, type Abi, type Address, type Hex } from 'viem';
import type { AnvilNode } from '../../collateral/support/anvil';
import { anvilAccount, testClients } from '../../collateral/support/contract';

// solc ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require('solc') as { compile(input: string): string };

let compiled: { abi: Abi; bytecode: Hex } | undefined;

/** Compiles test/config/contracts/ProjectMap.sol with solc-js. */
export function compileProjectMap(): { abi: Abi; bytecode: Hex } {
  if (compiled) return compiled;
  const input = {
    language: 'Solidity',
    sources: { 'ProjectMap.sol': { content: readFileSync(join(__dirname, '..', 'contracts', 'ProjectMap.sol'), 'utf8') } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = output.contracts['ProjectMap.sol'].ProjectMap;
  compiled = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  return compiled;
}

/** A deployed map contract on anvil, administered by anvil account 0 (address EIP-55 checksummed). */
export interface MapContract {
  address: Address;
  store(key: string, value: string): Promise<void>;
}

export async function deployProjectMap(node: AnvilNode): Promise<MapContract> {
  const { abi, bytecode } = compileProjectMap();
  const admin = anvilAccount(0);
  const { publicClient, wallet } = testClients(node);
  const deployed = await publicClient.waitForTransactionReceipt({ hash: await wallet(admin).deployContract({ abi, bytecode, args: [admin.address] }), pollingInterval: 50 });
  if (!deployed.contractAddress || deployed.status !== 'success') throw new Error('map contract deployment failed');
  const address = getAddress(deployed.contractAddress);
  return {
    address,
    store: async (key, value) => {
      const hash = await wallet(admin).writeContract({ address, abi, functionName: 'store', args: [key, value] });
      const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
      if (receipt.status !== 'success') throw new Error(`store(${key}) failed`);
    },
  };
}
