/** Plain chain data the rest of the validator consumes (no @polkadot types leak out). */

export interface AxonInfo {
  /** Dotted quad or IPv6 text, as Python's ipaddress.ip_address(int) prints it; "0.0.0.0" = not serving. */
  ip: string;
  port: number;
  /** 4 or 6, from the value of the address (the reference ignores the chain's ip_type). */
  ipVersion: 4 | 6;
  /** ip_type as stored on chain. */
  ipType: number;
  protocol: number;
  version: number;
}

export interface Neuron {
  uid: number;
  hotkey: string;
  coldkey: string;
  /** Stake of the hotkey on this subnet in rao; see ChainService.metagraph for its source. */
  stake: bigint;
  axon: AxonInfo;
  validatorPermit: boolean;
  active: boolean;
}

export interface Metagraph {
  netuid: number;
  block: number;
  blockHash: string;
  /** Ordered by uid. */
  neurons: Neuron[];
  /** 'stake-weight' when the runtime's SubnetState total_stake was used, 'alpha' for TotalHotkeyAlpha. */
  stakeSource: 'stake-weight' | 'alpha';
}

export interface SubnetHyperparameters {
  tempo: number;
  commitRevealEnabled: boolean;
  /** RevealPeriodEpochs. */
  revealPeriodEpochs: number;
  weightsRateLimit: bigint;
  weightsVersionKey: bigint;
  minAllowedWeights: number;
  maxWeightsLimit: number;
}

export const NOT_SERVING_IP = '0.0.0.0';

/** Python's `str(ipaddress.ip_address(n))`: IPv4 below 2^32, otherwise compressed IPv6. */
export function ipFromInt(value: bigint): { ip: string; version: 4 | 6 } {
  if (value < 0n || value >= 1n << 128n) throw new Error(`IP value out of range: ${value}`);
  if (value < 1n << 32n) {
    const n = Number(value);
    return { ip: [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'), version: 4 };
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(16 * i)) & 0xffffn));
  // RFC 5952 compression of the longest run (>= 2) of zero groups, leftmost on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return { ip: hex.join(':'), version: 6 };
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return { ip: `${left}::${right}`, version: 6 };
}

/** A neuron serves when its axon has an address (reference: ip != "0.0.0.0"). */
export function isServing(neuron: Pick<Neuron, 'axon'>): boolean {
  return neuron.axon.ip !== NOT_SERVING_IP;
}
