import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { ANVIL_MNEMONIC, type AnvilNode } from './anvil';

// solc ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require('solc') as { compile(input: string): string; version(): string };

export interface CompiledContract {
  abi: Abi;
  bytecode: Hex;
}

let compiled: CompiledContract | undefined;

/** Compiles test/collateral/contracts/ProjectCollateral.sol with solc-js (optimizer, 200 runs). */
export function compileProjectCollateral(): CompiledContract {
  if (compiled) return compiled;
  const source = readFileSync(join(__dirname, '..', 'contracts', 'ProjectCollateral.sol'), 'utf8');
  const input = {
    language: 'Solidity',
    sources: { 'ProjectCollateral.sol': { content: source } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = output.contracts['ProjectCollateral.sol'].ProjectCollateral;
  compiled = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  return compiled;
}

export function anvilAccount(index: number): HDAccount {
  return mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index });
}

/** The private key of an anvil default account, as the H160 key file would hold it. */
export function anvilPrivateKeyHex(index: number): string {
  const key = anvilAccount(index).getHdKey().privateKey;
  if (!key) throw new Error('no private key');
  return Buffer.from(key).toString('hex');
}

export function anvilChain(node: AnvilNode) {
  return defineChain({ id: node.chainId, name: 'anvil', nativeCurrency: { name: 'TAO', symbol: 'TAO', decimals: 18 }, rpcUrls: { default: { http: [node.httpUrl] } } });
}

export function testClients(node: AnvilNode) {
  const chain = anvilChain(node);
  const publicClient = createPublicClient({ chain, transport: http(node.httpUrl) }) as PublicClient;
  const wallet = (account: Account) => createWalletClient({ chain, account, transport: http(node.httpUrl) });
  return { publicClient, wallet };
}

/** Deploys the project's collateral contract from `deployer`; returns its address. */
export async function deployCollateral(
  node: AnvilNode,
  args: { deployer: Account; netuid: number; trustee: Address; minCollateralIncrease: bigint; decisionTimeout: bigint },
): Promise<Address> {
  const { abi, bytecode } = compileProjectCollateral();
  const { publicClient, wallet } = testClients(node);
  const hash = await wallet(args.deployer).deployContract({ abi, bytecode, args: [args.netuid, args.trustee, args.minCollateralIncrease, args.decisionTimeout] });
  const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (!receipt.contractAddress || receipt.status !== 'success') throw new Error('deployment failed');
  return receipt.contractAddress;
}
