import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance, ClassConstructor } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parse as parseDotenv } from 'dotenv';
import { CoreEnv } from './env/core.env';
import { ChainEnv } from './env/chain.env';
import { FacilitatorEnv } from './env/facilitator.env';
import { S3Env } from './env/s3.env';
import { JobsEnv } from './env/jobs.env';
import { DynamicSourceEnv } from './env/dynamic.env';
import { CollateralEnv } from './env/collateral.env';
import { DatabaseSettings, resolveDatabase } from './env/database-url';
import { startupWarnings } from './env/startup-warnings';
import { DynamicConfigKey } from './dynamic/dynamic-config.keys';
import { checkDynamicValue, DynamicConfigValueError, isDynamicConfigKey } from './dynamic/dynamic-config.parse';

/** Names whose values are never printed, logged or stored. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'DATABASE_URL',
  'DATABASE_POOL_URL',
  'POSTGRES_PASSWORD',
  'SECRET_KEY',
]);

const SECTIONS = {
  core: CoreEnv,
  chain: ChainEnv,
  facilitator: FacilitatorEnv,
  s3: S3Env,
  jobs: JobsEnv,
  dynamic: DynamicSourceEnv,
  collateral: CollateralEnv,
} as const;

type Sections = typeof SECTIONS;

/** Every variable AppConfig reads, by section (for the start-up warnings about the others). */
export const CONFIG_VARIABLES: ReadonlySet<string> = new Set(Object.values(SECTIONS).flatMap((cls) => Object.keys(new (cls as ClassConstructor<object>)())));

export interface FromEnvOptions {
  /** Names that came from a `.env` file: an unknown one there is worth a warning. */
  dotenvKeys?: ReadonlySet<string>;
}

/** The validated, typed configuration. One instance per process, injected everywhere. */
export class AppConfig {
  readonly core!: CoreEnv;
  readonly chain!: ChainEnv;
  readonly facilitator!: FacilitatorEnv;
  readonly s3!: S3Env;
  readonly jobs!: JobsEnv;
  readonly dynamic!: DynamicSourceEnv;
  readonly collateral!: CollateralEnv;
  /** DYNAMIC_* (and SERVING) values set in the environment, validated: the `env` layer of DynamicConfigService. */
  readonly dynamicEnv!: ReadonlyMap<DynamicConfigKey, unknown>;
  /** One line per variable that has no effect here, or whose effect an operator may not expect. */
  readonly warnings!: readonly string[];

  /** Which PostgreSQL to use; `url` undefined means the embedded database under DATA_DIR. */
  get database(): DatabaseSettings {
    return resolveDatabase(this.core);
  }

  /** Builds a config from a plain environment; throws ConfigError listing every problem. */
  static fromEnv(env: Record<string, string | undefined>, opts: FromEnvOptions = {}): AppConfig {
    const problems: string[] = [];
    const notes: string[] = [];
    const built: Record<string, unknown> = {};
    for (const [section, cls] of Object.entries(SECTIONS) as [keyof Sections, ClassConstructor<object>][]) {
      const instance = plainToInstance(cls, env, { exposeDefaultValues: true, excludeExtraneousValues: false });
      for (const key of Object.keys(instance)) {
        if (!(key in new cls())) delete (instance as Record<string, unknown>)[key];
      }
      for (const error of validateSync(instance, { skipMissingProperties: false })) {
        problems.push(describe(error));
      }
      built[section] = instance;
    }
    const dynamicEnv = new Map<DynamicConfigKey, unknown>();
    for (const [name, raw] of Object.entries(env)) {
      if (raw === undefined || raw === '' || !isDynamicConfigKey(name)) continue;
      try {
        const checked = checkDynamicValue(name, raw);
        dynamicEnv.set(name, checked.value);
        notes.push(...checked.notes.map((n) => `${name}: ${n}`));
      } catch (e) {
        if (!(e instanceof DynamicConfigValueError)) throw e;
        problems.push(e.message);
      }
    }
    if (problems.length > 0) throw new ConfigError(problems);
    const config = Object.assign(Object.create(AppConfig.prototype) as AppConfig, built, { dynamicEnv, warnings: [] as string[] });
    (config.warnings as string[]).push(...startupWarnings(config, env, opts.dotenvKeys ?? new Set(), CONFIG_VARIABLES), ...notes);
    return config;
  }

  /** Returns a copy of `config` with some fields replaced (tests, CLI flags). */
  static with(config: AppConfig, overrides: { [S in keyof Sections]?: Partial<InstanceType<Sections[S]>> }): AppConfig {
    const copy = Object.assign(Object.create(AppConfig.prototype) as AppConfig, config);
    for (const [section, values] of Object.entries(overrides)) {
      const current = (config as unknown as Record<string, object>)[section];
      (copy as unknown as Record<string, object>)[section] = Object.assign(Object.create(Object.getPrototypeOf(current) as object) as object, current, values);
    }
    return copy;
  }
}

function describe(error: ValidationError): string {
  const expectations = Object.values(error.constraints ?? {});
  const unique = [...new Set(expectations)];
  return `${error.property}: ${unique.join('; ') || 'invalid value'}`;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadedEnvironment {
  env: Record<string, string | undefined>;
  /** Names read from `.env` (and not overridden by the process environment). */
  dotenvKeys: ReadonlySet<string>;
}

/**
 * The process environment, plus `.env` from the working directory when present and `ENV` is
 * not set (the reference's rule). Variables already in the environment win.
 */
export function readEnvironment(processEnv: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LoadedEnvironment {
  const merged: Record<string, string | undefined> = {};
  const dotenvKeys = new Set<string>();
  const dotenvPath = resolve(cwd, '.env');
  if (processEnv.ENV === undefined && existsSync(dotenvPath)) {
    for (const [k, v] of Object.entries(parseDotenv(readFileSync(dotenvPath)))) {
      merged[k] = v;
      dotenvKeys.add(k);
    }
  }
  for (const [k, v] of Object.entries(processEnv)) {
    if (v === undefined) continue;
    merged[k] = v;
    dotenvKeys.delete(k);
  }
  return { env: merged, dotenvKeys };
}

/** `readEnvironment(...).env`. */
export function loadEnvironment(processEnv: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Record<string, string | undefined> {
  return readEnvironment(processEnv, cwd).env;
}

let processConfig: AppConfig | undefined;

/** The process-wide config; on the first call a bad environment exits the process with code 1. */
export function getProcessConfig(): AppConfig {
  if (!processConfig) {
    try {
      const { env, dotenvKeys } = readEnvironment();
      processConfig = AppConfig.fromEnv(env, { dotenvKeys });
    } catch (e) {
      if (e instanceof ConfigError) {
        process.stderr.write(`${e.message}\n`);
        process.exit(1);
      }
      throw e;
    }
  }
  return processConfig;
}

/** For tests and the devnet: make `getProcessConfig` return this config. */
export function setProcessConfig(config: AppConfig | undefined): void {
  processConfig = config;
}
