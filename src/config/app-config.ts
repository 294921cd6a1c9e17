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

/** Names whose values are never printed, logged or stored. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'DATABASE_URL',
  'DATABASE_POOL_URL',
  'POSTGRES_PASSWORD',
  'SECRET_KEY',
  'STATUS_PAGE_TOKEN',
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

/** The validated, typed configuration. One instance per process, injected everywhere. */
export class AppConfig {
  readonly core!: CoreEnv;
  readonly chain!: ChainEnv;
  readonly facilitator!: FacilitatorEnv;
  readonly s3!: S3Env;
  readonly jobs!: JobsEnv;
  readonly dynamic!: DynamicSourceEnv;
  readonly collateral!: CollateralEnv;
  /** The raw environment the config was built from (for the dynamic-config env overrides). */
  readonly rawEnv!: Readonly<Record<string, string | undefined>>;

  /** Builds a config from a plain environment; throws ConfigError listing every problem. */
  static fromEnv(env: Record<string, string | undefined>): AppConfig {
    const problems: string[] = [];
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
    if (problems.length > 0) throw new ConfigError(problems);
    return Object.assign(Object.create(AppConfig.prototype) as AppConfig, built, { rawEnv: { ...env } });
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

/**
 * The process environment, plus `.env` from the working directory when present and `ENV` is
 * not set (the reference's rule). Variables already in the environment win.
 */
export function loadEnvironment(processEnv: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = {};
  const dotenvPath = resolve(cwd, '.env');
  if (processEnv.ENV === undefined && existsSync(dotenvPath)) {
    Object.assign(merged, parseDotenv(readFileSync(dotenvPath)));
  }
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) merged[k] = v;
  return merged;
}

let processConfig: AppConfig | undefined;

/** The process-wide config; on the first call a bad environment exits the process with code 1. */
export function getProcessConfig(): AppConfig {
  if (!processConfig) {
    try {
      processConfig = AppConfig.fromEnv(loadEnvironment());
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
