// Logging is pino: one JSON line per event on stdout (easy to ship to a log store), pretty on a
// developer's terminal. Child loggers carry who and where (`log.child({ session, participant })`);
// tokens and secrets are redacted wherever they appear in a logged object.
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Paths pino blanks out: a token in a handshake, a header or a config must never reach a log. */
export const redactedPaths = [
  'token',
  '*.token',
  'auth.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'secret',
  '*.secret',
  'jwtSecret',
  '*.jwtSecret',
  'adminToken',
  '*.adminToken',
  'password',
  '*.password',
];

export interface LoggerOptions {
  /** Human-readable lines (pino-pretty) instead of JSON: on by default on a terminal. */
  pretty?: boolean;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const base = {
    level,
    base: null,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    // Error objects anywhere under `err` keep their message and stack.
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.destination) return pino(base, options.destination);
  const pretty = options.pretty ?? (process.stdout.isTTY && process.env.NODE_ENV !== 'production');
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}
