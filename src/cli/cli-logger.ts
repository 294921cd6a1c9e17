import type { LoggerService, LogLevel } from '@nestjs/common';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * The CLI's Nest logger: plain `level [context] message` lines on stderr (stdout is for results),
 * warnings and errors unless LOG_LEVEL asks for more. No colours, no timestamps, no stack traces.
 */
export class CliLogger implements LoggerService {
  private readonly max: number;

  constructor(logLevel: string | undefined) {
    const wanted: Record<string, LogLevel> = { fatal: 'fatal', error: 'error', warn: 'warn', info: 'warn', debug: 'debug', trace: 'verbose' };
    this.max = ORDER.indexOf(wanted[logLevel ?? 'info'] ?? 'warn');
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (ORDER.indexOf(level) > this.max) return;
    // Nest passes (message, ...params, context); pino-style calls put an object first and the text after it.
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const params = context === undefined ? rest : rest.slice(0, -1);
    // A stack trace (Nest's `error(message, stack)`) is for developers: shown from LOG_LEVEL=debug on.
    const isStack = (p: unknown) => typeof p === 'string' && /\n\s+at /.test(p);
    const parts = [message, ...params].filter((p) => p !== undefined && (this.max >= ORDER.indexOf('debug') || !isStack(p))).map(show);
    process.stderr.write(`${level === 'log' ? 'info' : level}${context ? ` [${context}]` : ''} ${parts.join(' ')}\n`);
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Error ? v.message : v));
}
