import { Injectable, Logger } from '@nestjs/common';
import { BaseError, type Address, type Hash, type Hex, type TransactionReceipt } from 'viem';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { CollateralValidatorIdentity } from '../collateral-validator-identity';
import { CollateralContractDiscovery } from '../discovery/contract-discovery.service';
import { CollateralError, ProviderConnectionError, reasonFromRevert, SlashCollateralError, type CollateralFailureReason } from '../evm/errors';
import { EvmEndpoint } from '../evm/evm-endpoint.service';
import type { EvmConnection, SlashCall } from '../evm/evm-connection';
import { CollateralSlashRepository } from '../persistence/collateral-slash.repository';
import { MinerCollateralRepository } from '../persistence/miner-collateral.repository';
import type { CollateralSlash, CollateralSlashState } from './collateral-slash.entity';
import {
  cheatedJobUrl,
  isHttpUrl,
  MAX_SLASH_ATTEMPTS,
  md5Hex,
  RECEIPT_POLL_INTERVAL_MS,
  RECEIPT_TIMEOUT_MS,
  retryDelaySeconds,
  URL_FETCH_TIMEOUT_MS,
  ZERO_MD5,
} from './slash-policy';

export interface SlashOutcome {
  jobUuid: string;
  state: CollateralSlashState;
  /** True when this call did nothing because the job already had a slash record. */
  alreadyHandled: boolean;
  reason?: CollateralFailureReason;
  txHash?: string;
}

export const COLLATERAL_SLASH_LOCK = 'collateral-slash';

/** A transaction was sent; whatever happens next, it must not be sent again. */
class AfterSend extends Error {
  constructor(readonly inner: CollateralError) {
    super(inner.message);
  }
}

/**
 * Slashes a miner's collateral for an organic job proven wrong (collateral.md §7). One record per
 * job in `collateral_slash`, so a job is never slashed twice; the transaction hash is stored before
 * the receipt is awaited. Attempts are serialised across processes (advisory lock), which keeps
 * the trustee key's nonces in order. Outcomes are recorded as COLLATERAL_SLASHING system events.
 */
@Injectable()
export class CollateralSlashingService {
  private readonly logger = new Logger(CollateralSlashingService.name);
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly slashes: CollateralSlashRepository,
    private readonly miners: MinerCollateralRepository,
    private readonly dynamic: DynamicConfigService,
    private readonly discovery: CollateralContractDiscovery,
    private readonly identity: CollateralValidatorIdentity,
    private readonly evm: EvmEndpoint,
    private readonly events: SystemEventsService,
    private readonly clock: Clock,
    private readonly exclusive: ExclusiveRunner,
  ) {}

  /**
   * Resolves when the slash has succeeded, failed for good, or been sent without a receipt yet
   * (retries of RPC/nonce failures included: up to ~1 minute of back-off plus up to 5 minutes of
   * waiting for the receipt). Never throws; the outcome is in the result and in a system event.
   */
  async slashForCheatedJob(input: { jobUuid: string; minerHotkey: string; details: string }): Promise<SlashOutcome> {
    if (!(await this.slashes.claim(input))) {
      const existing = await this.slashes.get(input.jobUuid);
      this.logger.log({ jobUuid: input.jobUuid, state: existing.state }, 'Already slashed or being slashed: not slashing again');
      return { jobUuid: input.jobUuid, state: existing.state, alreadyHandled: true, txHash: existing.txHash ?? undefined };
    }
    return this.runAttempts(input.jobUuid);
  }

  /**
   * Settles slashes left behind by a restart or a receipt timeout: a sent transaction gets its
   * receipt checked; a pending slash not being worked on in this process is attempted again.
   */
  async resumeUnfinished(opts: { pendingOlderThanMs?: number } = {}): Promise<SlashOutcome[]> {
    const outcomes: SlashOutcome[] = [];
    for (const row of await this.slashes.unfinished()) {
      if (this.inFlight.has(row.jobUuid)) continue;
      if (row.state === 'pending') {
        if (this.clock.now() - row.updatedAt.getTime() < (opts.pendingOlderThanMs ?? 10 * 60_000)) continue;
        outcomes.push(await this.runAttempts(row.jobUuid));
      } else {
        outcomes.push(await this.settleSent(row));
      }
    }
    return outcomes;
  }

  private async runAttempts(jobUuid: string): Promise<SlashOutcome> {
    this.inFlight.add(jobUuid);
    try {
      for (;;) {
        const row = await this.slashes.get(jobUuid);
        const attempt = row.attempts + 1;
        await this.slashes.update(jobUuid, { attempts: attempt });
        try {
          const locked = await this.exclusive.runExclusive(COLLATERAL_SLASH_LOCK, () => this.attempt(row), { wait: true });
          if (!locked.ran) throw new CollateralError(locked.reason, 'rpc_error', true);
          return locked.value;
        } catch (e) {
          if (e instanceof AfterSend) return this.finishAfterSendFailure(jobUuid, e.inner);
          // viem's long messages repeat the request URL (which may carry an API key): short form only.
          const text = e instanceof BaseError ? e.shortMessage : e instanceof Error ? e.message : String(e);
          const error = e instanceof CollateralError ? e : new CollateralError(text, 'rpc_error');
          if (error.retriable && attempt < MAX_SLASH_ATTEMPTS) {
            const delay = retryDelaySeconds(attempt - 1);
            await this.slashes.update(jobUuid, { lastError: error.message, failureReason: error.reason });
            this.logger.warn({ jobUuid, attempt, reason: error.reason, retryInSeconds: delay }, `collateral slash failed, retrying: ${error.message}`);
            await this.clock.sleep(delay * 1000);
            continue;
          }
          const givingUp = error.retriable;
          await this.slashes.update(jobUuid, { state: 'failed', lastError: error.message, failureReason: error.reason });
          await this.events.record({
            type: 'COLLATERAL_SLASHING',
            subtype: givingUp ? 'GIVING_UP' : 'FAILURE',
            description: givingUp ? `Max retries reached: ${error.message}` : `Failed to slash collateral: ${error.message}`,
            data: { job_uuid: jobUuid, miner_hotkey: row.minerHotkey, reason: error.reason, attempts: attempt, error: error.message },
          });
          return { jobUuid, state: 'failed', alreadyHandled: false, reason: error.reason };
        }
      }
    } finally {
      this.inFlight.delete(jobUuid);
    }
  }

  /** One attempt: the reference's checks in its order, then send, persist the hash, await the receipt. */
  private async attempt(claimed: CollateralSlash): Promise<SlashOutcome> {
    // Under the lock: another process may have taken this slash further since it was read.
    const row = await this.slashes.get(claimed.jobUuid);
    if (row.state !== 'pending') return { jobUuid: row.jobUuid, state: row.state, alreadyHandled: true, txHash: row.txHash ?? undefined };
    const key = await this.identity.loadH160Key();
    if (key.kind === 'absent') {
      this.logger.error({ path: key.path, reason: key.reason }, 'EVM private key not found');
      throw new SlashCollateralError('EVM private key not found', 'no_evm_key');
    }
    const miner = await this.miners.byHotkey(row.minerHotkey);
    if (!miner) throw new SlashCollateralError(`Miner ${row.minerHotkey} not found`, 'miner_not_found');
    if (!miner.evmAddress) throw new SlashCollateralError(`Miner ${row.minerHotkey} has no associated EVM address`, 'no_evm_address');
    const connection = await this.evm.open();
    try {
      const amount = await this.dynamic.get('DYNAMIC_COLLATERAL_SLASH_AMOUNT_WEI');
      if (amount <= 0n) throw new SlashCollateralError('Slash amount must be greater than 0', 'amount_not_positive');
      let found;
      try {
        found = await this.discovery.discover();
      } catch (e) {
        throw new ProviderConnectionError(`could not read the collateral contract commitment: ${(e as Error).message}`);
      }
      if (found.state === 'none') throw new SlashCollateralError('Collateral contract address not configured', 'no_contract');
      const url = cheatedJobUrl(row.jobUuid);
      const call: SlashCall = { contract: found.address, miner: miner.evmAddress, amount, url, md5: await urlContentMd5(url) };

      const txHash = await connection.sendSlash(key.account, call);
      await this.slashes.update(row.jobUuid, { state: 'sent', txHash, evmAddress: miner.evmAddress.toLowerCase(), contractAddress: found.address, amountWei: amount });
      this.logger.log({ jobUuid: row.jobUuid, txHash, miner: miner.hotkey }, 'collateral slash transaction sent');
      try {
        const receipt = await this.waitForReceipt(connection, txHash);
        return await this.settle(row.jobUuid, row.minerHotkey, receipt, connection, key.account.address, call);
      } catch (e) {
        throw new AfterSend(e instanceof CollateralError ? e : new CollateralError(e instanceof BaseError ? e.shortMessage : (e as Error).message, 'rpc_error'));
      }
    } finally {
      await connection.close();
    }
  }

  private async waitForReceipt(connection: EvmConnection, hash: Hash): Promise<TransactionReceipt> {
    const deadline = this.clock.now() + RECEIPT_TIMEOUT_MS;
    for (;;) {
      const receipt = await connection.receipt(hash);
      if (receipt) return receipt;
      if (this.clock.now() >= deadline) throw new CollateralError(`no receipt for ${hash} after ${RECEIPT_TIMEOUT_MS / 1000} s`, 'receipt_timeout');
      await this.clock.sleep(RECEIPT_POLL_INTERVAL_MS);
    }
  }

  private async settle(jobUuid: string, minerHotkey: string, receipt: TransactionReceipt, connection: EvmConnection, from: Address, call: SlashCall | null): Promise<SlashOutcome> {
    const data = { job_uuid: jobUuid, miner_hotkey: minerHotkey, tx_hash: receipt.transactionHash, block: receipt.blockNumber };
    if (receipt.status === 'success') {
      const slashedAt = this.clock.nowDate();
      // The slash record and the job's own flags (as the reference sets them) change together.
      await this.slashes.markSucceeded(jobUuid, slashedAt);
      await this.events.record({
        type: 'COLLATERAL_SLASHING',
        subtype: 'SUCCESS',
        description: `Slashed ${call?.amount ?? '?'} wei of collateral of miner ${minerHotkey} for job ${jobUuid}`,
        data: { ...data, evm_address: call?.miner ?? null, amount_wei: call?.amount ?? null, contract: call?.contract ?? null },
      });
      return { jobUuid, state: 'succeeded', alreadyHandled: false, txHash: receipt.transactionHash };
    }
    const revert = call ? await connection.slashRevertName(from, call, receipt.blockNumber) : undefined;
    const reason = reasonFromRevert(revert);
    const message = `collateral slashing transaction failed${revert ? ` (${revert})` : ''}`;
    await this.slashes.update(jobUuid, { state: 'failed', failureReason: reason, lastError: message });
    await this.events.record({
      type: 'COLLATERAL_SLASHING',
      subtype: 'FAILURE',
      description: `Failed to slash collateral: ${message}`,
      data: { ...data, reason, contract_error: revert ?? null },
    });
    return { jobUuid, state: 'failed', alreadyHandled: false, reason, txHash: receipt.transactionHash };
  }

  /** The transaction is out; without a receipt the row stays `sent` for resumeUnfinished to settle. */
  private async finishAfterSendFailure(jobUuid: string, error: CollateralError): Promise<SlashOutcome> {
    const row = await this.slashes.get(jobUuid);
    await this.slashes.update(jobUuid, { lastError: error.message, failureReason: error.reason });
    await this.events.record({
      type: 'COLLATERAL_SLASHING',
      subtype: 'FAILURE',
      description: `Slash transaction sent but its outcome is unknown: ${error.message}`,
      data: { job_uuid: jobUuid, miner_hotkey: row.minerHotkey, tx_hash: row.txHash, reason: error.reason },
    });
    return { jobUuid, state: 'sent', alreadyHandled: false, reason: error.reason, txHash: row.txHash ?? undefined };
  }

  private async settleSent(row: CollateralSlash): Promise<SlashOutcome> {
    const pending: SlashOutcome = { jobUuid: row.jobUuid, state: 'sent', alreadyHandled: false, txHash: row.txHash ?? undefined };
    if (!row.txHash) return pending;
    let connection: EvmConnection;
    try {
      connection = await this.evm.open();
    } catch {
      return pending;
    }
    try {
      const receipt = await connection.receipt(row.txHash as Hash);
      if (!receipt) return pending;
      const key = await this.identity.loadH160Key();
      const call: SlashCall | null =
        row.contractAddress && row.evmAddress && row.amountWei !== null
          ? { contract: row.contractAddress, miner: row.evmAddress, amount: row.amountWei, url: cheatedJobUrl(row.jobUuid), md5: ZERO_MD5 }
          : null;
      return await this.settle(row.jobUuid, row.minerHotkey, receipt, connection, key.kind === 'present' ? key.account.address : receipt.from, call);
    } catch (e) {
      this.logger.warn({ jobUuid: row.jobUuid, err: (e as Error).message }, 'could not settle a sent collateral slash yet');
      return pending;
    } finally {
      await connection.close();
    }
  }
}

/** 16 zero bytes, or the MD5 of the body an http(s) URL serves (collateral.md §7.3 step 7). */
export async function urlContentMd5(url: string, fetcher: typeof fetch = fetch): Promise<Hex> {
  if (!isHttpUrl(url)) return ZERO_MD5;
  let res: Response;
  try {
    res = await fetcher(url, { signal: AbortSignal.timeout(URL_FETCH_TIMEOUT_MS) });
  } catch (e) {
    throw new SlashCollateralError(`could not fetch ${url}: ${(e as Error).message}`, 'url_fetch_failed');
  }
  if (!res.ok) throw new SlashCollateralError(`fetching ${url} answered HTTP ${res.status}`, 'url_fetch_failed');
  return md5Hex(new Uint8Array(await res.arrayBuffer()));
}
