import { randomUUID } from 'node:crypto';
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  encodeFunctionData,
  getAddress,
  http,
  HttpRequestError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
  webSocket,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { COLLATERAL_ABI, SLASH_GAS_LIMIT } from './collateral-abi';
import { collateralErrorFromRpcMessage, CollateralError, ProviderConnectionError } from './errors';
import { isWebSocketUrl, redactUrl } from './endpoint';

export interface SlashCall {
  contract: string;
  miner: string;
  amount: bigint;
  url: string;
  md5: Hex;
}

/** The RPC answered with a JSON-RPC error (as opposed to not answering at all). */
function rpcErrorMessage(e: unknown): string | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const rpc = e.walk((x) => x instanceof RpcRequestError);
  return rpc instanceof RpcRequestError ? rpc.details || rpc.shortMessage : undefined;
}

export function isTransportFailure(e: unknown): boolean {
  if (!(e instanceof BaseError)) return false;
  return !!e.walk((x) => x instanceof HttpRequestError || x instanceof WebSocketRequestError || x instanceof TimeoutError || x instanceof SocketClosedError);
}

/**
 * One connection to the EVM JSON-RPC endpoint, opened for one sync run or one slash attempt and
 * closed after it (the reference's lifecycle). Every WebSocket connection has its own socket:
 * viem shares sockets by URL otherwise, and closing one run's socket would cut another's.
 */
export class EvmConnection {
  private constructor(
    readonly client: PublicClient,
    readonly safeUrl: string,
    readonly clientVersion: string,
    private readonly closeFn: () => Promise<void>,
  ) {}

  static async open(url: string, opts: { timeoutMs?: number } = {}): Promise<EvmConnection> {
    const safeUrl = redactUrl(url);
    const timeout = opts.timeoutMs ?? 10_000;
    const ws = isWebSocketUrl(url);
    const transport = ws
      ? webSocket(url, { key: `collateral-${randomUUID()}`, keepAlive: false, reconnect: false, retryCount: 0, timeout })
      : http(url, { retryCount: 0, timeout });
    const client = createPublicClient({ transport }) as PublicClient;
    const close = async () => {
      if (!ws) return;
      try {
        const rpc = await (client.transport as unknown as { getRpcClient(): Promise<{ close(): void }> }).getRpcClient();
        rpc.close();
      } catch {
        // never connected: nothing to close
      }
    };
    try {
      const version = await client.request({ method: 'web3_clientVersion' } as never);
      return new EvmConnection(client, safeUrl, String(version), close);
    } catch {
      await close();
      // The cause is not quoted: transport errors repeat the full URL, which may hold an API key.
      throw new ProviderConnectionError(`Failed to connect to RPC node at ${safeUrl}`);
    }
  }

  async close(): Promise<void> {
    await this.closeFn();
  }

  async blockNumber(): Promise<bigint> {
    return this.guard(() => this.client.getBlockNumber({ cacheTime: 0 }));
  }

  /**
   * `collaterals(address)` at an explicit block (the Substrate block of the metagraph snapshot,
   * which is the EVM block on Bittensor). A node whose EVM mapping lags behind the head may not
   * know that block yet; then the latest state is read instead.
   */
  async readCollateral(contract: string, evmAddress: string, blockNumber?: bigint): Promise<bigint> {
    const read = (at?: bigint) =>
      this.client.readContract({
        address: getAddress(contract),
        abi: COLLATERAL_ABI,
        functionName: 'collaterals',
        args: [getAddress(evmAddress)],
        ...(at === undefined ? {} : { blockNumber: at }),
      });
    if (blockNumber === undefined) return this.guard(() => read());
    try {
      return await read(blockNumber);
    } catch (e) {
      if (isTransportFailure(e) || !/block|header/i.test(rpcErrorMessage(e) ?? '')) throw this.wrap(e);
      return this.guard(() => read());
    }
  }

  async trustee(contract: string): Promise<Address> {
    return this.guard(() => this.client.readContract({ address: getAddress(contract), abi: COLLATERAL_ABI, functionName: 'TRUSTEE' }));
  }

  /**
   * Signs and sends `slashCollateral` as a legacy (type 0, EIP-155) transaction with a fixed gas
   * limit of 200 000, gas price and chain id asked from the node (collateral.md §7.3 step 9).
   */
  async sendSlash(account: PrivateKeyAccount, call: SlashCall): Promise<Hash> {
    const data = encodeFunctionData({
      abi: COLLATERAL_ABI,
      functionName: 'slashCollateral',
      args: [getAddress(call.miner), call.amount, call.url, call.md5],
    });
    return this.rpcStep(async () => {
      // `pending` (not the reference's `latest`): a slash sent a moment ago and not mined yet
      // then does not make the next one reuse its nonce.
      const [nonce, gasPrice, chainId] = await Promise.all([
        this.client.getTransactionCount({ address: account.address, blockTag: 'pending' }),
        this.client.getGasPrice(),
        this.client.getChainId(),
      ]);
      const serializedTransaction = await account.signTransaction({
        type: 'legacy',
        chainId,
        nonce,
        gasPrice,
        gas: SLASH_GAS_LIMIT,
        to: getAddress(call.contract),
        value: 0n,
        data,
      });
      return this.client.sendRawTransaction({ serializedTransaction });
    });
  }

  async receipt(hash: Hash): Promise<TransactionReceipt | null> {
    try {
      return await this.client.getTransactionReceipt({ hash });
    } catch (e) {
      if (e instanceof BaseError && e.name === 'TransactionReceiptNotFoundError') return null;
      throw this.wrap(e);
    }
  }

  /** Re-runs a failed slash as a call at its block to learn which contract error it hit. */
  async slashRevertName(from: Address, call: SlashCall, blockNumber: bigint): Promise<string | undefined> {
    try {
      await this.client.simulateContract({
        account: from,
        address: getAddress(call.contract),
        abi: COLLATERAL_ABI,
        functionName: 'slashCollateral',
        args: [getAddress(call.miner), call.amount, call.url, call.md5],
        blockNumber,
      });
      return undefined;
    } catch (e) {
      const reverted = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : null;
      return reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
    }
  }

  /** Build/send errors: JSON-RPC errors by message (nonce, underpriced, other), transport as unavailable. */
  private async rpcStep<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isTransportFailure(e)) throw new ProviderConnectionError(`RPC node at ${this.safeUrl} stopped answering`);
      const message = rpcErrorMessage(e);
      if (message !== undefined) throw collateralErrorFromRpcMessage(message);
      throw e;
    }
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.wrap(e);
    }
  }

  private wrap(e: unknown): Error {
    if (isTransportFailure(e)) return new ProviderConnectionError(`RPC node at ${this.safeUrl} stopped answering`);
    if (e instanceof BaseError) return new CollateralError(e.shortMessage, 'rpc_error');
    return e instanceof Error ? e : new Error(String(e));
  }
}
