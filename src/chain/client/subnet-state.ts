import { TypeRegistry } from '@polkadot/types';
import { compactStripLength, isU8a, u8aToU8a } from '@polkadot/util';

/**
 * SubnetInfoRuntimeApi.get_subnet_state's SubnetState, field order of subtensor's
 * rpc_info/show_subnet.rs. Runtimes whose API is declared as returning Vec<u8> (spec 218) hand
 * back these SCALE bytes wrapped in two length prefixes; current runtimes return the typed struct.
 */
const SUBNET_STATE_TYPES = {
  SubnetStateBytes: {
    netuid: 'Compact<u16>',
    hotkeys: 'Vec<AccountId32>',
    coldkeys: 'Vec<AccountId32>',
    active: 'Vec<bool>',
    validatorPermit: 'Vec<bool>',
    pruningScore: 'Vec<Compact<u16>>',
    lastUpdate: 'Vec<Compact<u64>>',
    emission: 'Vec<Compact<u64>>',
    dividends: 'Vec<Compact<u16>>',
    incentives: 'Vec<Compact<u16>>',
    consensus: 'Vec<Compact<u16>>',
    trust: 'Vec<Compact<u16>>',
    rank: 'Vec<Compact<u16>>',
    blockAtRegistration: 'Vec<Compact<u64>>',
    alphaStake: 'Vec<Compact<u64>>',
    taoStake: 'Vec<Compact<u64>>',
    totalStake: 'Vec<Compact<u64>>',
    emissionHistory: 'Vec<Vec<Compact<u64>>>',
  },
};

let registry: TypeRegistry | undefined;

export interface SubnetStakes {
  hotkeys: string[];
  /** Stake weight by uid (rao): alpha + root TAO × TaoWeight, as the chain computes it. */
  totalStake: bigint[];
}

/** Stakes from a runtime-API result, typed or opaque bytes; undefined when it does not decode exactly. */
export function subnetStakesFromApiResult(result: { toU8a(): Uint8Array; toJSON(): unknown; toRawType(): string }): SubnetStakes | undefined {
  if (result.toRawType() !== 'Bytes') {
    const json = result.toJSON() as { hotkeys?: string[]; totalStake?: (number | string)[] } | null;
    if (!json || !Array.isArray(json.totalStake) || !Array.isArray(json.hotkeys)) return undefined;
    return { hotkeys: json.hotkeys, totalStake: json.totalStake.map((v) => BigInt(v)) };
  }
  return decodeSubnetStateBytes(result.toU8a());
}

export function decodeSubnetStateBytes(wrapped: Uint8Array): SubnetStakes | undefined {
  const [, outer] = compactStripLength(u8aToU8a(wrapped));
  const [, inner] = compactStripLength(outer);
  if (!isU8a(inner) || inner.length === 0 || inner[0] !== 1) return undefined; // Option::None or empty
  registry ??= (() => {
    const r = new TypeRegistry();
    r.register(SUBNET_STATE_TYPES);
    return r;
  })();
  try {
    const state = registry.createType('Option<SubnetStateBytes>', inner);
    if (state.encodedLength !== inner.length || state.isNone) return undefined;
    const json = state.toJSON() as { hotkeys: string[]; totalStake: (number | string)[] };
    if (json.totalStake.length !== json.hotkeys.length) return undefined;
    return { hotkeys: json.hotkeys, totalStake: json.totalStake.map((v) => BigInt(v)) };
  } catch {
    return undefined;
  }
}
