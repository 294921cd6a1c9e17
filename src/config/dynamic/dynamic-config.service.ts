import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../app-config';
import { Clock } from '../clock';
import { DYNAMIC_CONFIG_KEYS, DynamicConfigKey, DynamicConfigValue } from './dynamic-config.keys';
import { DynamicConfigRow } from './dynamic-config.entity';
import { coerceDynamicValue, isDynamicConfigKey, toStoredValue } from './dynamic-config.parse';

export type DynamicValueSource = 'default' | 'env' | 'database';

export interface DynamicConfigEntry {
  key: DynamicConfigKey;
  value: unknown;
  source: DynamicValueSource;
  description: string;
}

const CACHE_TTL_MS = 10_000;

/**
 * Every reader of a DYNAMIC_* value goes through here.
 * Precedence: a row in `dynamic_config` > an environment variable of the same name > the default.
 */
@Injectable()
export class DynamicConfigService {
  private readonly logger = new Logger(DynamicConfigService.name);
  private cache: { at: number; rows: Map<string, unknown> } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async get<K extends DynamicConfigKey>(key: K): Promise<DynamicConfigValue<K>> {
    return (await this.resolve(key)).value as DynamicConfigValue<K>;
  }

  async list(): Promise<DynamicConfigEntry[]> {
    const out: DynamicConfigEntry[] = [];
    for (const key of Object.keys(DYNAMIC_CONFIG_KEYS) as DynamicConfigKey[]) out.push(await this.resolve(key));
    return out;
  }

  async set(key: string, raw: string): Promise<DynamicConfigEntry> {
    if (!isDynamicConfigKey(key)) throw new Error(`unknown dynamic config key ${key}`);
    const value = coerceDynamicValue(key, raw);
    await this.dataSource.getRepository(DynamicConfigRow).save({ key, value: toStoredValue(value) });
    this.cache = undefined;
    return this.resolve(key);
  }

  async unset(key: string): Promise<void> {
    if (!isDynamicConfigKey(key)) throw new Error(`unknown dynamic config key ${key}`);
    await this.dataSource.getRepository(DynamicConfigRow).delete({ key });
    this.cache = undefined;
  }

  private async resolve(key: DynamicConfigKey): Promise<DynamicConfigEntry> {
    const spec = DYNAMIC_CONFIG_KEYS[key];
    const rows = await this.rows();
    if (rows.has(key)) {
      try {
        return { key, value: coerceDynamicValue(key, rows.get(key)), source: 'database', description: spec.description };
      } catch (e) {
        this.logger.warn(`ignoring stored ${key}: ${(e as Error).message}`);
      }
    }
    const env = this.config.rawEnv[key];
    if (env !== undefined && env !== '') {
      try {
        return { key, value: coerceDynamicValue(key, env), source: 'env', description: spec.description };
      } catch (e) {
        this.logger.warn(`ignoring environment ${key}: ${(e as Error).message}`);
      }
    }
    const fallback = key === 'SERVING' ? !this.config.core.MIGRATING : spec.default;
    return { key, value: fallback, source: 'default', description: spec.description };
  }

  private async rows(): Promise<Map<string, unknown>> {
    const now = this.clock.now();
    if (this.cache && now - this.cache.at < CACHE_TTL_MS) return this.cache.rows;
    const found = await this.dataSource.getRepository(DynamicConfigRow).find();
    const rows = new Map<string, unknown>(found.map((r) => [r.key, r.value]));
    this.cache = { at: now, rows };
    return rows;
  }
}
