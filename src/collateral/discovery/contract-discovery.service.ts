import { Injectable, Logger } from '@nestjs/common';
import { getAddress, isAddress, type Address } from 'viem';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { CollateralChainReader } from '../chain/collateral-chain-reader';
import { CollateralValidatorIdentity } from '../collateral-validator-identity';
import { contractAddressFromCommitment } from './commitment';

/** How long a discovered address is trusted before the commitment is read again. */
export const CONTRACT_ADDRESS_TTL_MS = 10 * 60 * 1000;
/** Routing re-reads a "no contract" answer at most this often (a chain read per job is too much). */
export const NO_CONTRACT_RECHECK_MS = 60 * 1000;
/** Routing never waits longer than this for the commitment; it falls back to the last answer. */
export const ROUTING_DISCOVERY_TIMEOUT_MS = 5_000;

export type ContractDiscovery = { state: 'found'; address: Address } | { state: 'none'; why: string };

const UNREADABLE: ContractDiscovery = { state: 'none', why: 'commitment could not be read' };

/**
 * Finds this validator's collateral contract from its own knowledge commitment on the subnet
 * (collateral.md §4). Found addresses are cached for 10 minutes (the reference cached them for
 * the life of the process, so a redeployed contract needed a restart); "none" is never cached.
 * The transition to "collateral off" and back is logged once, not on every read.
 */
@Injectable()
export class CollateralContractDiscovery {
  private readonly logger = new Logger(CollateralContractDiscovery.name);
  private cached: { address: Address; at: number } | undefined;
  private last: ContractDiscovery | undefined;
  private lastAt = 0;
  /** When the last routing read failed: no new read (and no 5-s wait under the routing lock) for a minute. */
  private failedAt = -Infinity;

  constructor(
    private readonly chain: CollateralChainReader,
    private readonly identity: CollateralValidatorIdentity,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Reads the commitment unless a found address is still fresh (or `refresh` is set). Throws on chain errors. */
  async discover(opts: { refresh?: boolean } = {}): Promise<ContractDiscovery> {
    if (!opts.refresh && this.cached && this.clock.now() - this.cached.at < CONTRACT_ADDRESS_TTL_MS) {
      return { state: 'found', address: this.cached.address };
    }
    const netuid = this.config.chain.BITTENSOR_NETUID;
    const hotkey = await this.identity.hotkeySs58();
    const bytes = await this.chain.commitmentBytes(netuid, hotkey);
    const result = this.interpret(bytes, netuid, hotkey);
    if (result.state === 'found') this.cached = { address: result.address, at: this.clock.now() };
    else this.cached = undefined;
    this.note(result);
    return result;
  }

  /**
   * The answer routing uses, quickly: a recent answer (found: 10 min, none: 1 min), else a fresh
   * discovery bounded by 5 s, else the last known answer, else "none" (collateral off). After a
   * failed read the fallback is used for a minute without asking the chain again.
   */
  async current(): Promise<ContractDiscovery> {
    const age = this.clock.now() - this.lastAt;
    if (this.last && age < (this.last.state === 'found' ? CONTRACT_ADDRESS_TTL_MS : NO_CONTRACT_RECHECK_MS)) return this.last;
    if (this.clock.now() - this.failedAt < NO_CONTRACT_RECHECK_MS) return this.last ?? UNREADABLE;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.discover(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${ROUTING_DISCOVERY_TIMEOUT_MS} ms`)), ROUTING_DISCOVERY_TIMEOUT_MS);
        }),
      ]);
    } catch (e) {
      // Routing asks once per job: while the chain does not answer, do not make every job wait.
      this.failedAt = this.clock.now();
      if (this.last) return this.last;
      this.logger.warn(`could not read the collateral contract commitment (${(e as Error).message}); treating collateral as off, asking again in ${NO_CONTRACT_RECHECK_MS / 1000} s`);
      return UNREADABLE;
    } finally {
      clearTimeout(timer);
    }
  }

  private interpret(bytes: Uint8Array | null, netuid: number, hotkey: string): ContractDiscovery {
    if (!bytes) return { state: 'none', why: `no commitment of ${hotkey} on netuid ${netuid}` };
    const written = contractAddressFromCommitment(bytes);
    if (!written) return { state: 'none', why: `the commitment of ${hotkey} on netuid ${netuid} names no contract address` };
    if (!isAddress(written, { strict: false })) return { state: 'none', why: `the commitment of ${hotkey} names an invalid contract address "${written.slice(0, 64)}"` };
    return { state: 'found', address: getAddress(written) };
  }

  private note(result: ContractDiscovery): void {
    const previous = this.last;
    this.last = result;
    this.lastAt = this.clock.now();
    if (result.state === 'none') {
      if (previous?.state !== 'none') this.logger.log(`collateral is off: ${result.why}`);
    } else if (previous?.state !== 'found' || previous.address !== result.address) {
      this.logger.log(`collateral contract ${result.address} found in the validator's commitment`);
    }
  }
}
