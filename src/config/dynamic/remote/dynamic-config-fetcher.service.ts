import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../app-config';
import { Clock } from '../../clock';
import { ExclusiveRunner } from '../../../database/exclusive-runner.service';
import { SystemEventsService } from '../../../observability/system-events/system-events.service';
import { redactUrl, resolveEvmRpcUrl } from '../../../collateral/evm/endpoint';
import { DYNAMIC_CONFIG_KEYS, DynamicConfigKey, UNUSED_REFERENCE_KEYS, isRemoteSettable } from '../dynamic-config.keys';
import { checkDynamicValue, isDynamicConfigKey, showDynamicValue } from '../dynamic-config.parse';
import { DynamicConfigService, RemoteValue } from '../dynamic-config.service';
import { fetchJsonDocument, jsonConfigUrls, RemoteFetchError } from './json-source';
import { RemoteDocument } from './remote-document';

/** The reference's lock name is DYNAMIC_CONFIG_FETCH (advisory lock 7). */
export const DYNAMIC_CONFIG_FETCH_LOCK = 'fetch_dynamic_config';
/** tenacity: 5 attempts, waiting 5 s, 30 s, 60 s, 180 s between them. */
export const FETCH_RETRY_DELAYS_MS = [5_000, 30_000, 60_000, 180_000];

export interface RefusedValue {
  key: string;
  value: unknown;
  origin: string;
  reason: string;
}

export interface FetchReport {
  origins: string[];
  /** Values checked and stored, in application order (a later one for the same key wins). */
  applied: RemoteValue[];
  refused: RefusedValue[];
  /** Keys the source publishes that this validator does not use. */
  ignored: string[];
  /** Applied values an operator override hides. */
  shadowed: { key: DynamicConfigKey; remote: unknown; override: unknown }[];
}

export type FetchOutcome =
  | { state: 'fetched'; report: FetchReport; attempts: number }
  | { state: 'skipped'; reason: string }
  | { state: 'failed'; error: string; attempts: number };

/** What a source holds, for `validator-cli fetch-dynamic-config` (nothing is applied). */
export interface SourceContents {
  description: string;
  documents: (RemoteDocument & { absent?: string[] })[];
}

/**
 * The reference's `fetch_dynamic_config`: under an advisory lock (skipped when another process
 * holds it), read the map contract when USE_CONTRACT_CONFIG, else validator-config-<env>.json then
 * common-config-<env>.json from DYNAMIC_CONFIG_BASE_URL; up to 5 attempts. Each value is checked
 * against its key before it is stored; a refused value is never applied and leaves a system event.
 */
@Injectable()
export class DynamicConfigFetcher implements OnApplicationShutdown {
  private readonly logger = new Logger('DynamicConfigFetch');
  private readonly stopping = new AbortController();
  private readonly reportedIgnored = new Set<string>();
  private readonly reportedShadow = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly dynamic: DynamicConfigService,
    private readonly exclusive: ExclusiveRunner,
    private readonly events: SystemEventsService,
    private readonly clock: Clock,
  ) {}

  onApplicationShutdown(): void {
    this.stopping.abort(new Error('shutting down'));
  }

  /** Human description of the configured source, or undefined when there is none. */
  describeSource(): string | undefined {
    const d = this.config.dynamic;
    if (d.USE_CONTRACT_CONFIG) return `map contract ${d.CONFIG_CONTRACT_ADDRESS} on the subtensor EVM (${this.safeRpcUrl()})`;
    if (d.DYNAMIC_CONFIG_BASE_URL) return jsonConfigUrls(d.DYNAMIC_CONFIG_BASE_URL, d.DYNAMIC_CONFIG_ENV).join(' then ');
    return undefined;
  }

  /** One scheduled run: lock, retries, apply, events. Never throws. */
  async fetchAndApply(opts: { retryDelaysMs?: readonly number[] } = {}): Promise<FetchOutcome> {
    if (!this.dynamic.remoteEnabled) return { state: 'skipped', reason: 'no remote source (DYNAMIC_CONFIG_BASE_URL is empty and USE_CONTRACT_CONFIG is off)' };
    try {
      const result = await this.exclusive.runExclusive(DYNAMIC_CONFIG_FETCH_LOCK, () => this.withRetries(opts.retryDelaysMs ?? FETCH_RETRY_DELAYS_MS));
      return result.ran ? result.value : { state: 'skipped', reason: result.reason };
    } catch (e) {
      // The database went away (shutdown, outage): nothing was half-applied beyond stored rows.
      return { state: 'failed', error: (e as Error).message, attempts: 0 };
    }
  }

  /** Reads the configured source without applying anything. Throws RemoteFetchError. */
  async readSource(): Promise<SourceContents> {
    const description = this.describeSource();
    if (!description) throw new RemoteFetchError('no remote source: set DYNAMIC_CONFIG_BASE_URL, or USE_CONTRACT_CONFIG=true');
    const now = this.clock.nowDate();
    const d = this.config.dynamic;
    if (d.USE_CONTRACT_CONFIG) return { description, documents: [await this.readContract()] };
    const documents: RemoteDocument[] = [];
    for (const url of jsonConfigUrls(d.DYNAMIC_CONFIG_BASE_URL, d.DYNAMIC_CONFIG_ENV)) documents.push(await fetchJsonDocument(url, now));
    return { description, documents };
  }

  private async withRetries(delays: readonly number[]): Promise<FetchOutcome> {
    const refusedThisRun = new Set<string>();
    let lastError = '';
    for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
      if (this.stopping.signal.aborted) return { state: 'failed', error: 'shutting down', attempts: attempt - 1 };
      try {
        const report = await this.fetchOnce(refusedThisRun);
        this.logger.log({ applied: report.applied.length, refused: report.refused.length, origins: report.origins }, 'dynamic config fetched');
        return { state: 'fetched', report, attempts: attempt };
      } catch (e) {
        if (!(e instanceof RemoteFetchError)) throw e;
        lastError = e.message;
        if (attempt > delays.length) break;
        this.logger.warn({ attempt, retryInMs: delays[attempt - 1] }, `dynamic config fetch failed: ${lastError}`);
        try {
          await this.clock.sleep(delays[attempt - 1], this.stopping.signal);
        } catch {
          return { state: 'failed', error: 'shutting down', attempts: attempt };
        }
      }
    }
    this.logger.error(`dynamic config fetch failed ${delays.length + 1} times: ${lastError}`);
    await this.events.record({
      type: 'VALIDATOR_FAILURE',
      subtype: 'GENERIC_ERROR',
      description: `dynamic config fetch failed after ${delays.length + 1} attempts: ${lastError}`,
      data: { func: 'fetch_dynamic_config', source: this.describeSource(), error: lastError },
    });
    return { state: 'failed', error: lastError, attempts: delays.length + 1 };
  }

  /** One attempt; documents are applied one after the other, as the reference does. */
  private async fetchOnce(refusedThisRun: Set<string>): Promise<FetchReport> {
    const d = this.config.dynamic;
    const report: FetchReport = { origins: [], applied: [], refused: [], ignored: [], shadowed: [] };
    if (d.USE_CONTRACT_CONFIG) {
      await this.apply(await this.readContract(), report, refusedThisRun);
    } else {
      for (const url of jsonConfigUrls(d.DYNAMIC_CONFIG_BASE_URL, d.DYNAMIC_CONFIG_ENV)) {
        await this.apply(await fetchJsonDocument(url, this.clock.nowDate()), report, refusedThisRun);
      }
    }
    return report;
  }

  private async apply(doc: RemoteDocument, report: FetchReport, refusedThisRun: Set<string>): Promise<void> {
    report.origins.push(doc.origin);
    const accepted: RemoteValue[] = [];
    const refuse = async (key: string, value: unknown, reason: string) => {
      report.refused.push({ key, value, origin: doc.origin, reason });
      const id = `${doc.origin}:${key}:${showDynamicValue(value)}`;
      if (refusedThisRun.has(id)) return;
      refusedThisRun.add(id);
      this.logger.warn({ key, origin: doc.origin }, `refused the remote value of ${key}: ${reason}`);
      await this.events.record({
        type: 'VALIDATOR_FAILURE',
        subtype: 'WARNING',
        description: `refused the subnet owner's value of ${key} (${reason}); the previous value stays in effect`,
        data: { func: 'fetch_dynamic_config', key, value: showDynamicValue(value).slice(0, 500), origin: doc.origin, reason },
      });
    };
    for (const { key, reason } of doc.malformed) await refuse(key, null, reason);
    for (const [key, item] of doc.values) {
      if (!isRemoteSettable(key)) continue;
      if (!isDynamicConfigKey(key)) {
        report.ignored.push(key);
        if (!this.reportedIgnored.has(key)) {
          this.reportedIgnored.add(key);
          this.logger.log(`${key} from ${doc.origin} is not used by this validator${UNUSED_REFERENCE_KEYS.has(key) ? ' (the reference does not read it either)' : ''}`);
        }
        continue;
      }
      try {
        const checked = checkDynamicValue(key, item.value);
        accepted.push({ key, value: checked.value, origin: doc.origin });
        for (const note of checked.notes) this.logger.warn({ key, origin: doc.origin }, `${key}: ${note}`);
      } catch (e) {
        await refuse(key, item.value, (e as Error).message.replace(`${key}: `, ''));
      }
    }
    await this.dynamic.storeRemote(accepted);
    report.applied.push(...accepted);
    const overrides = await this.dynamic.overriddenKeys();
    for (const v of accepted) {
      if (!overrides.has(v.key)) continue;
      const override = (await this.dynamic.entry(v.key))?.value;
      report.shadowed.push({ key: v.key, remote: v.value, override });
      const id = `${v.key}:${showDynamicValue(v.value)}`;
      if (showDynamicValue(override) !== showDynamicValue(v.value) && !this.reportedShadow.has(id)) {
        this.reportedShadow.add(id);
        this.logger.warn(
          `${v.key}: the operator override ${showDynamicValue(override)} hides the subnet owner's value ${showDynamicValue(v.value)} ` +
            `(from ${doc.origin}); \`validator-cli config unset ${v.key}\` follows the subnet owner again`,
        );
      }
    }
  }

  /** viem is loaded only when the contract is the source (most processes never need it). */
  private async readContract() {
    const { readMapContract } = await import('./map-contract-source');
    return readMapContract(this.rpcUrl(), this.config.dynamic.CONFIG_CONTRACT_ADDRESS, this.contractKeys());
  }

  /** The keys the contract is asked for: our DYNAMIC_* keys, and the reference's unused ones (shown, not applied). */
  private contractKeys(): string[] {
    const keys = Object.keys(DYNAMIC_CONFIG_KEYS).filter(isRemoteSettable);
    for (const k of UNUSED_REFERENCE_KEYS) if (isRemoteSettable(k)) keys.push(k);
    return keys;
  }

  private rpcUrl(): string {
    return resolveEvmRpcUrl({
      network: this.config.chain.BITTENSOR_NETWORK,
      localEndpoint: this.config.chain.BT_SUBTENSOR_CHAIN_ENDPOINT,
      override: this.config.collateral.BITTENSOR_EVM_RPC_URL,
    });
  }

  private safeRpcUrl(): string {
    return redactUrl(this.rpcUrl());
  }
}
