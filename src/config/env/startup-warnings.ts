import type { AppConfig } from '../app-config';
import { UNUSED_REFERENCE_KEYS } from '../dynamic/dynamic-config.keys';
import { isDynamicConfigKey } from '../dynamic/dynamic-config.parse';
import { redactDatabaseUrl } from './database-url';
import { DEPLOYMENT_VARIABLES, NO_EFFECT_VARIABLES, TOOLING_VARIABLES } from './no-effect-variables';

/**
 * One line per variable that has no effect here (a Python validator's `.env` holds many), per
 * unknown name in `.env`, and for database choices an operator switching from the Python
 * validator may not expect. Values are never quoted (secrets).
 */
export function startupWarnings(
  config: AppConfig,
  env: Record<string, string | undefined>,
  dotenvKeys: ReadonlySet<string>,
  configVariables: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  const present = (name: string) => env[name] !== undefined && env[name] !== '';
  const fromDotenv = (name: string) => (dotenvKeys.has(name) ? ' (from .env)' : '');
  for (const name of Object.keys(env).sort()) {
    if (!present(name) || configVariables.has(name) || isDynamicConfigKey(name)) continue;
    const reason = NO_EFFECT_VARIABLES[name] ?? (name.startsWith('BACKUP_') ? "used by the Python runner's docker compose only" : undefined);
    if (reason !== undefined) {
      out.push(`${name}${fromDotenv(name)} has no effect here: ${reason}`);
    } else if (UNUSED_REFERENCE_KEYS.has(name)) {
      out.push(`${name}${fromDotenv(name)} has no effect here: the reference declares it but never reads it`);
    } else if (name.startsWith('DYNAMIC_')) {
      out.push(`${name}${fromDotenv(name)} has no effect here: not a dynamic config key (\`validator-cli config list\` shows them)`);
    } else if (dotenvKeys.has(name) && !DEPLOYMENT_VARIABLES.has(name) && !TOOLING_VARIABLES.has(name)) {
      out.push(`${name} (from .env) has no effect here: not a setting of this validator (see .env.example)`);
    }
  }
  const db = config.database;
  if (db.source === 'POSTGRES_PASSWORD' && db.url) {
    out.push(
      `DATABASE_URL is unset and POSTGRES_PASSWORD is set: connecting to ${redactDatabaseUrl(db.url)} as the Python validator does; ` +
        'set DATABASE_URL for another server, or remove POSTGRES_PASSWORD to use the embedded database under DATA_DIR',
    );
  }
  if (db.source === 'embedded') {
    for (const name of ['DATABASE_SUFFIX', 'DEBUG_OVERRIDE_DATABASE_NAME']) {
      if (present(name)) out.push(`${name}${fromDotenv(name)} has no effect here: no database URL is set, the embedded database is used`);
    }
  }
  if (db.source === 'DATABASE_POOL_URL' && present('DATABASE_URL')) {
    out.push('DATABASE_URL has no effect here: DATABASE_POOL_URL is set and wins (as in the reference)');
  }
  if (config.dynamic.USE_CONTRACT_CONFIG && present('DYNAMIC_CONFIG_BASE_URL')) {
    out.push('DYNAMIC_CONFIG_BASE_URL has no effect here: USE_CONTRACT_CONFIG is on, the map contract is the remote source');
  }
  return out;
}
