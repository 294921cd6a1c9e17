import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import { Logger } from '@nestjs/common';
import { associationPrefix, decodeAssociationEntry } from './association-storage';

export interface ChainSnapshot {
  blockNumber: bigint;
  blockHash: string;
  /** uid -> hotkey ss58 of every neuron at that block (the metagraph's hotkeys). */
  hotkeyByUid: Map<number, string>;
}

/** The Substrate reads collateral needs (collateral.md §4-5). */
export abstract class CollateralChainReader {
  /** Head block and the subnet's uid -> hotkey table at that block. */
  abstract snapshot(netuid: number): Promise<ChainSnapshot>;
  /** uid -> H160 (lowercase) from `SubtensorModule.AssociatedEvmAddress(netuid, *)` at `blockHash`. */
  abstract associatedEvmAddresses(netuid: number, blockHash: string): Promise<Map<number, string>>;
  /** The raw bytes of the first field of `Commitments.CommitmentOf(netuid, hotkey)`, or null. */
  abstract commitmentBytes(netuid: number, hotkey: string): Promise<Uint8Array | null>;
}

type EnumLike = Codec & { type?: string; value?: Codec; isNone?: boolean };
type QueryFn = ((...args: unknown[]) => Promise<Codec>) & { entries?: (...args: unknown[]) => Promise<[{ args: Codec[] }, Codec][]> };

/** The reads over a @polkadot/api connection, built from the metadata the node serves. */
export class PolkadotCollateralChainReader extends CollateralChainReader {
  private readonly logger = new Logger('CollateralChainReader');
  private warnedNoAssociationItem = false;

  constructor(private readonly api: () => Promise<ApiPromise>) {
    super();
  }

  async snapshot(netuid: number): Promise<ChainSnapshot> {
    const api = await this.api();
    const header = await api.rpc.chain.getHeader();
    const at = await api.at(header.hash);
    const entries = await (at.query.subtensorModule.keys as unknown as QueryFn).entries!(netuid);
    const hotkeyByUid = new Map<number, string>();
    for (const [key, value] of entries) hotkeyByUid.set(Number(key.args[1].toString()), value.toString());
    return { blockNumber: BigInt(header.number.toString()), blockHash: header.hash.toHex(), hotkeyByUid };
  }

  async associatedEvmAddresses(netuid: number, blockHash: string): Promise<Map<number, string>> {
    const api = await this.api();
    const at = await api.at(blockHash);
    const typed = (at.query.subtensorModule as Record<string, QueryFn | undefined>).associatedEvmAddress;
    const out = new Map<number, string>();
    if (typed?.entries) {
      for (const [key, value] of await typed.entries(netuid)) {
        const inner = (value as Codec & { isSome?: boolean; unwrap?: () => Codec }).unwrap?.() ?? value;
        const decoded = decodeAssociationEntry(netuid, (key as unknown as Codec).toHex(), inner.toU8a(true));
        if (decoded) out.set(decoded.uid, decoded.evmAddress);
      }
      return out;
    }
    // Runtimes older than the association table (e.g. the local test runtime, spec 218) have no
    // metadata for it: read raw keys under its prefix, which finds nothing unless it was written.
    if (!this.warnedNoAssociationItem) {
      this.warnedNoAssociationItem = true;
      this.logger.warn('runtime metadata has no SubtensorModule.AssociatedEvmAddress; reading its raw storage prefix');
    }
    const prefix = associationPrefix(netuid);
    let start: string | undefined;
    for (;;) {
      const keys = await api.rpc.state.getKeysPaged(prefix, 1000, start ?? prefix, blockHash);
      if (keys.length === 0) break;
      for (const key of keys) {
        const raw = (await api.rpc.state.getStorage(key.toHex(), blockHash)) as unknown as Codec & { isSome?: boolean; unwrap?: () => Codec };
        const bytes = raw.isSome === undefined ? raw.toU8a(true) : raw.isSome && raw.unwrap ? raw.unwrap().toU8a(true) : null;
        const decoded = bytes ? decodeAssociationEntry(netuid, key.toHex(), bytes) : null;
        if (decoded) out.set(decoded.uid, decoded.evmAddress);
      }
      if (keys.length < 1000) break;
      start = keys[keys.length - 1].toHex();
    }
    return out;
  }

  async commitmentBytes(netuid: number, hotkey: string): Promise<Uint8Array | null> {
    const api = await this.api();
    const query = (api.query as unknown as Record<string, Record<string, QueryFn | undefined> | undefined>).commitments?.commitmentOf;
    if (!query) return null;
    const found = (await query(netuid, hotkey)) as Codec & { isSome?: boolean; unwrap?: () => Codec };
    if (!found.isSome || !found.unwrap) return null;
    const registration = found.unwrap() as Codec & { info?: { fields?: EnumLike[] } };
    const first = registration.info?.fields?.[0];
    return first ? dataBytes(first) : null;
  }
}

/** Raw bytes of a commitments `Data` value (`Raw0`..`Raw128`, or `BigRaw` on newer runtimes). */
export function dataBytes(data: EnumLike): Uint8Array | null {
  const variant = data.type ?? '';
  if (!/^(Raw\d+|BigRaw)$/.test(variant) || !data.value) return null;
  return data.value.toU8a(true);
}
