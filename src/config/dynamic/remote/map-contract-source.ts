import { getAddress, type Abi } from 'viem';
import { EvmConnection } from '../../../collateral/evm/evm-connection';
import { parseJsonLossless } from './lossless-json';
import { RemoteFetchError } from './json-source';
import { RemoteDocument } from './remote-document';

/** The map contract's one read (compute_horde/smart_contracts/abi/map_abi.json): `value(string) → string`, selector 0xc6e15443. */
export const MAP_CONTRACT_ABI = [
  { type: 'function', name: 'value', stateMutability: 'view', inputs: [{ name: '', type: 'string' }], outputs: [{ name: '', type: 'string' }] },
] as const satisfies Abi;

/**
 * Reads `value(key)` for every key at the latest block (configuration.md §5.3): an empty string
 * means the key is absent, anything else is the JSON of the value in effect (the contract is kept
 * in step with the published files, so there is no `effective_from` here). A value that is not
 * JSON is refused for that key alone, as the reference skips it.
 *
 * The calls go out concurrently on one connection (the reference sends one JSON-RPC batch).
 */
export async function readMapContract(rpcUrl: string, contract: string, keys: readonly string[]): Promise<RemoteDocument & { absent: string[] }> {
  const address = getAddress(contract);
  const origin = `contract ${address}`;
  let conn: EvmConnection;
  try {
    conn = await EvmConnection.open(rpcUrl);
  } catch (e) {
    throw new RemoteFetchError(`${origin}: ${(e as Error).message}`);
  }
  try {
    let raws: string[];
    try {
      raws = await Promise.all(keys.map((key) => conn.client.readContract({ address, abi: MAP_CONTRACT_ABI, functionName: 'value', args: [key] })));
    } catch (e) {
      // viem's short message names the call, not the URL (hosted RPC URLs carry API keys).
      const short = (e as { shortMessage?: string }).shortMessage ?? 'call failed';
      throw new RemoteFetchError(`${origin} at ${conn.safeUrl}: ${short}`);
    }
    const doc: RemoteDocument & { absent: string[] } = { origin, values: new Map(), malformed: [], pending: [], absent: [] };
    keys.forEach((key, i) => {
      const raw = raws[i];
      if (raw === '') {
        doc.absent.push(key);
        return;
      }
      try {
        doc.values.set(key, { value: parseJsonLossless(raw) });
      } catch {
        doc.malformed.push({ key, reason: 'the stored string is not JSON' });
      }
    });
    return doc;
  } finally {
    await conn.close();
  }
}
