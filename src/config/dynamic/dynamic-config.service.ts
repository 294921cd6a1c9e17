import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../app-config';
import { Clock } from '../clock';
import { DYNAMIC_CONFIG_KEYS, DynamicConfigKey, DynamicConfigValue } from './dynamic-config.keys';
import { DynamicConfigRow } from './dynamic-config.entity';
import { DynamicConfigRemoteRow } from './dynamic-config-remote.entity';
import { checkDynamicValue, DynamicConfigValueError, isDynamicConfigKey, showDynamicValue, toStoredValue } from './dynamic-config.parse';

/** Where a value comes from, strongest first. */
export type DynamicValueSource = 'override' | 'remote' | 'env' | 'default';

export interface DynamicConfigEntry {
  key: DynamicConfigKey;
  value: unknown;
  source: DynamicValueSource;
  description: string;
  /** For `remote`: the contract or file it came from. */
  origin?: string;
  /** Weaker sources that also hold a value for the key (what `config unset` would fall back to first). */
  shadowed: { source: DynamicValueSource; value: unknown }[];
}

export interface SetResult {
  entry: DynamicConfigEntry;
  /** Accepted with a remark (e.g. an unknown executor class), or a remote value the override now hides. */
  notes: string[];
}

export interface RemoteValue {
  key: DynamicConfigKey;
  value: unknown;
  origin: string;
}

const CACHE_TTL_MS = 10_000;

interface Layers {
  at: number;
  overrides: Map<string, unknown>;
  remote: Map<string, { value: unknown; origin: string }>;
  /** Entries resolved from this snapshot (checking a value is not free: ss58 checksums, maps). */
  resolved: Map<DynamicConfigKey, DynamicConfigEntry>;
}

/**
 * Every reader of a DYNAMIC_* value goes through here.
 * Precedence: an operator override (`validator-cli config set`, table `dynamic_config`) > the
 * subnet owner's remote value (table `dynamic_config_remote`, written by DynamicConfigFetcher, used
 * only while a remote source is configured) > an environment variable of the same name > the
 * default. A stored value that no longer passes the key's check is skipped with a warning.
 */
@Injectable()
export class DynamicConfigService {
  private readonly logger = new Logger(DynamicConfigService.name);
  private cache: Layers | undefined;
  private readonly warned = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** A remote source is configured: the map contract, or a base URL for the JSON files. */
  get remoteEnabled(): boolean {
    return this.config.dynamic.USE_CONTRACT_CONFIG || this.config.dynamic.DYNAMIC_CONFIG_BASE_URL !== '';
  }

  async get<K extends DynamicConfigKey>(key: K): Promise<DynamicConfigValue<K>> {
    return (await this.resolve(key, await this.layers())).value as DynamicConfigValue<K>;
  }

  async list(): Promise<DynamicConfigEntry[]> {
    const layers = await this.layers();
    return (Object.keys(DYNAMIC_CONFIG_KEYS) as DynamicConfigKey[]).map((key) => this.resolve(key, layers));
  }

  async entry(key: string): Promise<DynamicConfigEntry | undefined> {
    return isDynamicConfigKey(key) ? this.resolve(key, await this.layers()) : undefined;
  }

  /** Stores an operator override after checking it; throws DynamicConfigValueError (or an unknown-key Error). */
  async set(key: string, raw: string): Promise<DynamicConfigEntry> {
    return (await this.setChecked(key, raw)).entry;
  }

  async setChecked(key: string, raw: string): Promise<SetResult> {
    if (!isDynamicConfigKey(key)) throw new DynamicConfigValueError(`unknown dynamic config key ${key}`);
    const checked = checkDynamicValue(key, raw);
    await this.dataSource.getRepository(DynamicConfigRow).save({ key, value: toStoredValue(checked.value) });
    this.cache = undefined;
    const entry = this.resolve(key, await this.layers());
    const notes = [...checked.notes];
    const remote = entry.shadowed.find((s) => s.source === 'remote');
    if (remote) notes.push(`this override hides the subnet owner's value ${showDynamicValue(remote.value)}; \`validator-cli config unset ${key}\` follows it again`);
    return { entry, notes };
  }

  async unset(key: string): Promise<void> {
    if (!isDynamicConfigKey(key)) throw new DynamicConfigValueError(`unknown dynamic config key ${key}`);
    await this.dataSource.getRepository(DynamicConfigRow).delete({ key });
    this.cache = undefined;
  }

  /** Records values from the remote source (already checked by the caller), in one transaction. */
  async storeRemote(values: readonly RemoteValue[]): Promise<void> {
    if (values.length === 0) return;
    await this.dataSource.transaction(async (em) => {
      await em.getRepository(DynamicConfigRemoteRow).save(values.map((v) => ({ key: v.key, value: toStoredValue(v.value), origin: v.origin })));
    });
    this.cache = undefined;
  }

  /** Keys with an operator override (for the warning when a remote value is hidden). */
  async overriddenKeys(): Promise<Map<string, unknown>> {
    return new Map((await this.layers()).overrides);
  }

  invalidate(): void {
    this.cache = undefined;
  }

  private resolve(key: DynamicConfigKey, layers: Layers): DynamicConfigEntry {
    const known = layers.resolved.get(key);
    if (known) return known;
    const entry = this.resolveUncached(key, layers);
    layers.resolved.set(key, entry);
    return entry;
  }

  private resolveUncached(key: DynamicConfigKey, layers: Layers): DynamicConfigEntry {
    const spec = DYNAMIC_CONFIG_KEYS[key];
    const candidates: { source: DynamicValueSource; raw: unknown; origin?: string }[] = [];
    if (layers.overrides.has(key)) candidates.push({ source: 'override', raw: layers.overrides.get(key) });
    const remote = layers.remote.get(key);
    if (remote && this.remoteEnabled) candidates.push({ source: 'remote', raw: remote.value, origin: remote.origin });
    if (this.config.dynamicEnv.has(key)) candidates.push({ source: 'env', raw: this.config.dynamicEnv.get(key) });
    const usable: { source: DynamicValueSource; value: unknown; origin?: string }[] = [];
    for (const c of candidates) {
      try {
        usable.push({ source: c.source, value: checkDynamicValue(key, c.raw).value, origin: c.origin });
      } catch (e) {
        this.warnOnce(`${c.source}:${key}:${String(c.raw)}`, `ignoring the ${c.source} value of ${key}: ${(e as Error).message}`);
      }
    }
    const fallback = key === 'SERVING' ? !this.config.core.MIGRATING : spec.default;
    const [winner, ...rest] = usable;
    const shadowed = rest.map((u) => ({ source: u.source, value: u.value }));
    if (!winner) return { key, value: fallback, source: 'default', description: spec.description, shadowed };
    return { key, value: winner.value, source: winner.source, origin: winner.origin, description: spec.description, shadowed };
  }

  private warnOnce(id: string, message: string): void {
    if (this.warned.has(id)) return;
    this.warned.add(id);
    this.logger.warn(message);
  }

  private async layers(): Promise<Layers> {
    const now = this.clock.now();
    if (this.cache && now - this.cache.at < CACHE_TTL_MS) return this.cache;
    const [overrides, remote] = await Promise.all([
      this.dataSource.getRepository(DynamicConfigRow).find(),
      this.dataSource.getRepository(DynamicConfigRemoteRow).find(),
    ]);
    this.cache = {
      at: now,
      overrides: new Map(overrides.map((r) => [r.key, r.value])),
      remote: new Map(remote.map((r) => [r.key, { value: r.value, origin: r.origin }])),
      resolved: new Map(),
    };
    return this.cache;
  }
}
