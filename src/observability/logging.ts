import type { Params } from 'nestjs-pino';
import { AppConfig, SECRET_VARIABLES } from '../config/app-config';

/** Log paths whose values are replaced by [redacted] wherever they appear in a log line. */
export const REDACTED_PATHS = [
  ...[...SECRET_VARIABLES].flatMap((name) => [name, `*.${name}`]),
  'secretSeed', '*.secretSeed', 'privateKey', '*.privateKey', 'secretPhrase', '*.secretPhrase',
  'mnemonic', '*.mnemonic', 'seed', '*.seed', 'password', '*.password', 'secret', '*.secret',
  'req.headers.authorization', 'req.headers.cookie',
];

/** pino settings. `toStderr` keeps stdout free for the CLI's tables. */
export function loggerParams(config: AppConfig, opts: { toStderr?: boolean } = {}): Params {
  const pretty = config.core.LOG_PRETTY;
  return {
    pinoHttp: {
      level: config.core.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      autoLogging: false,
      base: { env: config.core.ENV },
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { destination: opts.toStderr ? 2 : 1, singleLine: true } } }
        : opts.toStderr
          ? { stream: process.stderr }
          : {}),
    },
  };
}
