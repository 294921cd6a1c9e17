import { Injectable, Logger } from '@nestjs/common';
import type { Address } from 'viem';
import { AppConfig } from '../../config/app-config';
import { mapLimit } from '../../common/map-limit';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { CollateralChainReader, type ChainSnapshot } from '../chain/collateral-chain-reader';
import { CollateralContractDiscovery } from '../discovery/contract-discovery.service';
import { EvmEndpoint } from '../evm/evm-endpoint.service';
import type { EvmConnection } from '../evm/evm-connection';
import { CollateralValidatorIdentity } from '../collateral-validator-identity';
import { MinerCollateralRepository } from '../persistence/miner-collateral.repository';

export type MinerSyncStatus = 'synced' | 'no association' | 'no contract' | 'read failed' | 'evm unavailable' | 'left metagraph';

export interface MinerCollateralRow {
  hotkey: string;
  uid: number | null;
  evmAddress: string | null;
  collateralWei: bigint;
  status: MinerSyncStatus;
}

export type CollateralSyncReport =
  | { ran: false; reason: string }
  | { ran: true; ok: false; error: string }
  | {
      ran: true;
      ok: true;
      blockNumber: bigint;
      contract: Address | null;
      miners: MinerCollateralRow[];
      failures: number;
      /** The contract's TRUSTEE() and whether this validator's H160 key is it (null: no key file). */
      trustee: { address: Address; matchesKey: boolean | null } | null;
    };

const READ_CONCURRENCY = 8;
export const COLLATERAL_SYNC_LOCK = 'collateral-sync';

/**
 * `sync_collaterals` (collateral.md §5): each metagraph miner's EVM address from the chain's
 * association table and its deposit from `collaterals(address)` at the snapshot block, written to
 * `miner.evm_address` / `miner.collateral_wei`. Deviations from the reference (README): uid 0 is
 * synced; a miner without an association, or on a subnet without a contract, gets 0 instead of
 * keeping its last balance; a miner whose address changed and whose read failed gets 0; rows that
 * left the metagraph are reset.
 */
@Injectable()
export class CollateralSyncService {
  private readonly logger = new Logger(CollateralSyncService.name);
  private lastTrusteeNote: string | undefined;

  constructor(
    private readonly miners: MinerCollateralRepository,
    private readonly config: AppConfig,
    private readonly chain: CollateralChainReader,
    private readonly discovery: CollateralContractDiscovery,
    private readonly evm: EvmEndpoint,
    private readonly events: SystemEventsService,
    private readonly exclusive: ExclusiveRunner,
    private readonly identity: CollateralValidatorIdentity,
  ) {}

  /** One run, skipped (ran: false) when another run holds the lock. */
  async sync(opts: { wait?: boolean } = {}): Promise<CollateralSyncReport> {
    const result = await this.exclusive.runExclusive(COLLATERAL_SYNC_LOCK, () => this.syncUnlocked(), { wait: opts.wait });
    return result.ran ? result.value : { ran: false, reason: result.reason };
  }

  private async syncUnlocked(): Promise<CollateralSyncReport> {
    const netuid = this.config.chain.BITTENSOR_NETUID;
    let snapshot: ChainSnapshot;
    try {
      snapshot = await this.chain.snapshot(netuid);
    } catch (e) {
      return this.fail(`Error getting metagraph data for collateral sync: ${message(e)}`, e);
    }
    let associations: Map<number, string>;
    let contract: Address | null;
    try {
      associations = await this.chain.associatedEvmAddresses(netuid, snapshot.blockHash);
      const found = await this.discovery.discover({ refresh: true });
      contract = found.state === 'found' ? found.address : null;
    } catch (e) {
      return this.fail(`Error reading EVM associations or the contract commitment for collateral sync: ${message(e)}`, e);
    }

    const uidByHotkey = new Map<string, number>();
    for (const [uid, hotkey] of snapshot.hotkeyByUid) uidByHotkey.set(hotkey, uid);
    const inMetagraph = await this.miners.byHotkeys([...uidByHotkey.keys()]);

    let connection: EvmConnection | null = null;
    let evmError: string | null = null;
    if (contract && inMetagraph.some((m) => associations.has(uidByHotkey.get(m.hotkey)!))) {
      try {
        connection = await this.evm.open();
      } catch (e) {
        evmError = message(e);
        await this.events.record({
          type: 'COLLATERAL_SYNCING',
          subtype: 'FAILURE',
          description: `EVM endpoint unavailable for collateral sync: ${evmError}`,
          data: { error: evmError, block: snapshot.blockNumber },
        });
      }
    }

    const rows: MinerCollateralRow[] = [];
    let failures = 0;
    let trustee: { address: Address; matchesKey: boolean | null } | null = null;
    try {
      if (connection && contract) trustee = await this.checkTrustee(connection, contract);
      await mapLimit(inMetagraph, READ_CONCURRENCY, async (miner) => {
        const uid = uidByHotkey.get(miner.hotkey)!;
        const evmAddress = associations.get(uid) ?? null;
        const sameAddress = evmAddress !== null && miner.evmAddress?.toLowerCase() === evmAddress;
        let collateralWei = 0n;
        let status: MinerSyncStatus;
        if (!evmAddress) status = 'no association';
        else if (!contract) status = 'no contract';
        else if (!connection) {
          status = 'evm unavailable';
          collateralWei = sameAddress ? miner.collateralWei : 0n;
        } else {
          try {
            collateralWei = await connection.readCollateral(contract, evmAddress, snapshot.blockNumber);
            status = 'synced';
          } catch (e) {
            failures++;
            status = 'read failed';
            collateralWei = sameAddress ? miner.collateralWei : 0n;
            await this.events.record({
              type: 'COLLATERAL_SYNCING',
              subtype: 'GETTING_MINER_COLLATERAL_FAILED',
              description: `Error while fetching miner collateral: ${message(e)}`,
              data: { block: snapshot.blockNumber, miner_hotkey: miner.hotkey, evm_address: evmAddress },
            });
          }
        }
        rows.push({ hotkey: miner.hotkey, uid, evmAddress, collateralWei, status });
      });
    } finally {
      await connection?.close();
    }

    // Associations are keyed by uid: a hotkey that left the metagraph no longer owns one.
    const departed = await this.miners.othersWithCollateral([...uidByHotkey.keys()]);
    for (const m of departed) rows.push({ hotkey: m.hotkey, uid: m.uid, evmAddress: null, collateralWei: 0n, status: 'left metagraph' });

    await this.miners.saveAll(rows);
    rows.sort((a, b) => (a.uid ?? 1e9) - (b.uid ?? 1e9) || a.hotkey.localeCompare(b.hotkey));
    this.logger.log(
      { block: snapshot.blockNumber.toString(), contract, miners: rows.length, failures, evmError },
      `collateral sync at block ${snapshot.blockNumber}: ${rows.filter((r) => r.status === 'synced').length} balances read`,
    );
    return { ran: true, ok: true, blockNumber: snapshot.blockNumber, contract, miners: rows, failures, trustee };
  }

  /** Slashing only works when the H160 key is the contract's trustee: say so early, once per change. */
  private async checkTrustee(connection: EvmConnection, contract: Address): Promise<{ address: Address; matchesKey: boolean | null } | null> {
    try {
      const address = await connection.trustee(contract);
      const key = await this.identity.loadH160Key();
      const matchesKey = key.kind === 'present' ? key.account.address.toLowerCase() === address.toLowerCase() : null;
      const note = `${contract}:${address}:${matchesKey}`;
      if (note !== this.lastTrusteeNote) {
        this.lastTrusteeNote = note;
        if (matchesKey === false) this.logger.warn(`the H160 key is not the TRUSTEE ${address} of collateral contract ${contract}: slashing will fail`);
        if (matchesKey === null) this.logger.warn(`no H160 key file at ${this.identity.h160KeyPath()}: slashing is impossible`);
      }
      return { address, matchesKey };
    } catch (e) {
      this.logger.warn(`could not read TRUSTEE() of ${contract}: ${message(e)}`);
      return null;
    }
  }

  private async fail(description: string, e: unknown): Promise<CollateralSyncReport> {
    await this.events.record({ type: 'COLLATERAL_SYNCING', subtype: 'FAILURE', description, data: { error: message(e) } });
    return { ran: true, ok: false, error: description };
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
