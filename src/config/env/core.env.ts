import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { EnvBool, EnvInt, EnvString } from './parsers';

export class CoreEnv {
  /** Environment name; also tags logs. */
  @EnvString() @IsString() ENV: string = 'prod';

  @EnvInt() @IsInt({ message: 'expected an integer port 1-65535' }) @Min(1, { message: 'expected an integer port 1-65535' }) @Max(65535, { message: 'expected an integer port 1-65535' })
  HTTP_PORT: number = 8000;

  /** Interface the HTTP server binds to. */
  @EnvString() @MinLength(1, { message: 'expected an interface address such as 0.0.0.0 or 127.0.0.1' }) HTTP_HOST: string = '0.0.0.0';

  /** postgres://user:password@host:port/name. See AppConfig.database for how the URL is chosen (none: the embedded server). */
  @EnvString() @IsOptional() @Matches(/^postgres(ql)?:\/\/.+/, { message: 'expected postgres://user:password@host:port/database' })
  DATABASE_URL?: string;

  /** PgBouncer-style pooled DSN; wins over DATABASE_URL when set (reference behaviour). */
  @EnvString() @IsOptional() @Matches(/^postgres(ql)?:\/\/.+/, { message: 'expected postgres://user:password@host:port/database' })
  DATABASE_POOL_URL?: string;

  /** The reference's default DSN `postgres://postgres:<POSTGRES_PASSWORD>@db:5432/postgres` when no URL is set. */
  @EnvString() @IsString() POSTGRES_PASSWORD: string = '';

  /** Appended to the database name of whichever URL is used (reference). */
  @EnvString() @Matches(/^[A-Za-z0-9_]*$/, { message: 'expected letters, digits or _ (appended to the database name)' }) DATABASE_SUFFIX: string = '';

  /** Replaces the database name of whichever URL is used (reference). */
  @EnvString() @Matches(/^[A-Za-z0-9_]*$/, { message: 'expected a database name (letters, digits or _)' }) DEBUG_OVERRIDE_DATABASE_NAME: string = '';

  /** Where the embedded database and other local state live. */
  @EnvString() @MinLength(1, { message: 'expected a directory' }) DATA_DIR: string = './data';

  @EnvString() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { message: 'expected one of fatal, error, warn, info, debug, trace' })
  LOG_LEVEL: string = 'info';

  /** Human-readable logs instead of JSON lines. */
  @EnvBool() LOG_PRETTY: boolean = false;

  /** Sent to the facilitator as X-Validator-Version / X-Validator-Runner-Version. */
  @EnvString() @IsString() VALIDATOR_VERSION: string = 'unknown';
  @EnvString() @IsString() VALIDATOR_RUNNER_VERSION: string = 'unknown';

  /** Default of the dynamic SERVING flag is `not MIGRATING`. */
  @EnvBool() MIGRATING: boolean = false;
}
