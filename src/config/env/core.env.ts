import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { EnvBool, EnvInt, EnvString } from './parsers';

export class CoreEnv {
  /** Environment name; also tags logs. */
  @EnvString() @IsString() ENV: string = 'prod';

  @EnvBool() DEBUG: boolean = false;

  @EnvInt() @IsInt({ message: 'expected an integer port 1-65535' }) @Min(1, { message: 'expected an integer port 1-65535' }) @Max(65535, { message: 'expected an integer port 1-65535' })
  HTTP_PORT: number = 8000;

  /** Interface the HTTP server binds to. */
  @EnvString() @IsString() HTTP_HOST: string = '0.0.0.0';

  /** postgres://user:password@host:port/name. Unset: the embedded PostgreSQL server under DATA_DIR. */
  @EnvString() @IsOptional() @Matches(/^postgres(ql)?:\/\/.+/, { message: 'expected postgres://user:password@host:port/database' })
  DATABASE_URL?: string;

  /** PgBouncer-style pooled DSN; wins over DATABASE_URL when set (reference behaviour). */
  @EnvString() @IsOptional() @Matches(/^postgres(ql)?:\/\/.+/, { message: 'expected postgres://user:password@host:port/database' })
  DATABASE_POOL_URL?: string;

  /** Where the embedded database and other local state live. */
  @EnvString() @IsString() DATA_DIR: string = './data';

  @EnvString() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { message: 'expected one of fatal, error, warn, info, debug, trace' })
  LOG_LEVEL: string = 'info';

  /** Human-readable logs instead of JSON lines. */
  @EnvBool() LOG_PRETTY: boolean = false;

  @EnvString() @IsString() VALIDATOR_VERSION: string = 'unknown';
  @EnvString() @IsString() VALIDATOR_RUNNER_VERSION: string = 'unknown';

  /** Default of the dynamic SERVING flag is `not MIGRATING`. */
  @EnvBool() MIGRATING: boolean = false;
}
